package io.fornax.client;

import io.fornax.api.proto.Application;
import io.fornax.api.proto.CreateApplicationRequest;
import io.fornax.api.proto.ErrorCode;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Request;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.UpdateApplicationRequest;
import io.fornax.api.validation.Defaults;
import io.fornax.client.internal.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Applications of the client's tenant: specs of how to run instances and how to scale them.
 * Every call has a blocking form and an {@code Async} form returning a {@link CompletableFuture}
 * that fails with a {@link FornaxClientException}.
 */
public final class Applications {
  private final Calls calls;

  Applications(Calls calls) {
    this.calls = calls;
  }

  /**
   * Creates {@code app} (its name in {@code meta.name}); returns it as stored, defaults filled.
   * A retry after a lost answer that finds the same spec stored returns it.
   *
   * @throws AlreadyExistsException if another application has that name
   */
  public CompletableFuture<Application> createAsync(Application app) {
    Application scoped = scoped(app);
    return calls.send(Request.newBuilder()
            .setCreateApplication(CreateApplicationRequest.newBuilder().setApplication(scoped)))
        .thenCompose(o -> ownWrite(o, ErrorCode.ALREADY_EXISTS, scoped));
  }

  public Application create(Application app) {
    return Calls.await(createAsync(app));
  }

  /**
   * Replaces the spec and labels of {@code app}.
   *
   * @param expectedRevision the revision read before (0: whatever is stored)
   * @throws ConflictException if the stored revision is not {@code expectedRevision}
   */
  public CompletableFuture<Application> updateAsync(Application app, long expectedRevision) {
    Application scoped = scoped(app);
    return calls.send(Request.newBuilder().setUpdateApplication(UpdateApplicationRequest
            .newBuilder().setApplication(scoped).setExpectedRevision(expectedRevision)))
        .thenCompose(o -> ownWrite(o, ErrorCode.CONFLICT, scoped));
  }

  public Application update(Application app, long expectedRevision) {
    return Calls.await(updateAsync(app, expectedRevision));
  }

  /**
   * Creates {@code app}, or updates it if it exists (what {@code fornax apply -f} does). The
   * scheduler writes application status too, which moves the revision: a conflict re-reads and
   * tries again, a few times.
   */
  public CompletableFuture<Application> applyAsync(Application app) {
    return applyAsync(app, 5);
  }

  private CompletableFuture<Application> applyAsync(Application app, int triesLeft) {
    return getAsync(app.getMeta().getName()).handle((found, e) -> {
      if (e == null) {
        return updateAsync(app, found.getMeta().getRevision()).handle((updated, ue) -> {
          if (ue == null) {
            return CompletableFuture.completedFuture(updated);
          }
          FornaxClientException typed = FornaxClientException.from(ue);
          if (typed instanceof ConflictException && triesLeft > 1) {
            return applyAsync(app, triesLeft - 1);
          }
          throw typed;
        }).thenCompose(f -> f);
      }
      if (FornaxClientException.from(e) instanceof NotFoundException) {
        return createAsync(app);
      }
      throw FornaxClientException.from(e);
    }).thenCompose(f -> f);
  }

  public Application apply(Application app) {
    return Calls.await(applyAsync(app));
  }

  /** Deletes the application; its sessions are closed and its instances reaped. */
  public CompletableFuture<Void> deleteAsync(String name) {
    return calls.delete(Kind.APPLICATION, name, 0);
  }

  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }

  public CompletableFuture<Application> getAsync(String name) {
    return calls.get(Kind.APPLICATION, name, Resource::getApplication);
  }

  /** @throws NotFoundException if there is no such application */
  public Application get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<List<Application>> listAsync(Map<String, String> labelSelector) {
    return calls.list(Kind.APPLICATION, labelSelector, "", Resource::getApplication);
  }

  /** The applications carrying all of {@code labelSelector}'s labels. */
  public List<Application> list(Map<String, String> labelSelector) {
    return Calls.await(listAsync(labelSelector));
  }

  public List<Application> list() {
    return list(Map.of());
  }

  /**
   * The written application; or, when an attempt that may have run was followed by {@code
   * refusal}, the stored one if it holds exactly what was sent (that attempt wrote it).
   */
  private CompletableFuture<Application> ownWrite(Transport.Outcome o, ErrorCode refusal,
      Application sent) {
    if (o.ambiguous() && o.code() == refusal) {
      return getAsync(sent.getMeta().getName()).thenApply(found -> {
        if (!sameSpec(found, sent)) {
          Calls.require(o);
        }
        return found;
      });
    }
    return CompletableFuture.completedFuture(Calls.require(o).getResource().getApplication());
  }

  private Application scoped(Application app) {
    if (calls.tenant.isEmpty() || !app.getMeta().getTenant().isEmpty()) {
      return app;
    }
    return app.toBuilder().setMeta(app.getMeta().toBuilder().setTenant(calls.tenant)).build();
  }

  private static boolean sameSpec(Application stored, Application wanted) {
    return stored.getSpec().equals(Defaults.applyApplicationDefaults(wanted).getSpec())
        && stored.getMeta().getLabelsMap().equals(wanted.getMeta().getLabelsMap());
  }
}
