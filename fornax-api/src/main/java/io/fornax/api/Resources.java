package io.fornax.api;

import com.google.protobuf.Message;
import io.fornax.api.proto.Application;
import io.fornax.api.proto.Instance;
import io.fornax.api.proto.Kind;
import io.fornax.api.proto.Node;
import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Resource;
import io.fornax.api.proto.Session;
import io.fornax.api.proto.Tenant;

/** Conversions between typed resources and the {@link Resource} wrapper, shared by every module. */
public final class Resources {
  private Resources() {}

  public static Resource wrap(Message m) {
    Resource.Builder r = Resource.newBuilder();
    if (m instanceof Tenant t) {
      r.setTenant(t);
    } else if (m instanceof Application a) {
      r.setApplication(a);
    } else if (m instanceof Session s) {
      r.setSession(s);
    } else if (m instanceof Node n) {
      r.setNode(n);
    } else if (m instanceof Instance i) {
      r.setInstance(i);
    } else {
      throw new IllegalArgumentException("not a resource: " + m.getClass().getSimpleName());
    }
    return r.build();
  }

  public static ObjectMeta meta(Resource r) {
    return switch (r.getKindCase()) {
      case TENANT -> r.getTenant().getMeta();
      case APPLICATION -> r.getApplication().getMeta();
      case SESSION -> r.getSession().getMeta();
      case NODE -> r.getNode().getMeta();
      case INSTANCE -> r.getInstance().getMeta();
      case KIND_NOT_SET -> ObjectMeta.getDefaultInstance();
    };
  }

  public static ObjectMeta meta(Message m) {
    return meta(wrap(m));
  }

  /** The {@link Kind} {@code r} holds. */
  public static Kind kind(Resource r) {
    return switch (r.getKindCase()) {
      case TENANT -> Kind.TENANT;
      case APPLICATION -> Kind.APPLICATION;
      case SESSION -> Kind.SESSION;
      case NODE -> Kind.NODE;
      case INSTANCE -> Kind.INSTANCE;
      case KIND_NOT_SET -> Kind.KIND_UNSPECIFIED;
    };
  }
}
