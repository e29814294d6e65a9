package io.fornax.core.server;

import io.fornax.api.proto.Caller;
import io.fornax.api.proto.Resource;
import io.fornax.api.Resources;
import java.util.Map;

/**
 * Which resources a list or watch returns: those the caller may see in {@code tenant} ("" = every
 * tenant, admin only), carrying every label of {@code labels}, and, when given, with this
 * {@code name} and belonging to this {@code application} (sessions and instances).
 */
record Selection(Caller caller, String tenant, String name, Map<String, String> labels,
    String application) {

  boolean matches(Resource r) {
    return Scope.visible(caller, tenant, r)
        && (name.isEmpty() || name.equals(Resources.meta(r).getName()))
        && hasLabels(r)
        && inApplication(r);
  }

  private boolean hasLabels(Resource r) {
    Map<String, String> have = Resources.meta(r).getLabelsMap();
    for (Map.Entry<String, String> want : labels.entrySet()) {
      if (!want.getValue().equals(have.get(want.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private boolean inApplication(Resource r) {
    if (application.isEmpty()) {
      return true;
    }
    return switch (r.getKindCase()) {
      case SESSION -> application.equals(r.getSession().getSpec().getApplication());
      case INSTANCE -> application.equals(r.getInstance().getApplication());
      default -> true;
    };
  }
}
