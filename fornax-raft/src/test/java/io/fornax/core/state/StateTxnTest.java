package io.fornax.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fornax.api.proto.ObjectMeta;
import io.fornax.api.proto.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTxnTest {
  private static Tenant tenant(String name, long revision) {
    return Tenant.newBuilder().setMeta(ObjectMeta.newBuilder().setName(name).setRevision(revision))
        .build();
  }

  private static ResourceState stateWith(Tenant... tenants) {
    ResourceState s = new ResourceState();
    for (Tenant t : tenants) {
      s.load(Table.TENANTS, t.getMeta().getName(), t);
    }
    return s;
  }

  @Test
  void committedChildrenKeepTheValueFromBeforeTheWholeTransaction() {
    Tenant v0 = tenant("a", 0);
    StateTxn txn = new StateTxn(stateWith(v0));
    StateTxn first = txn.child();
    first.put(Table.TENANTS, "a", tenant("a", 1));
    first.commitToParent();
    StateTxn second = txn.child();
    assertEquals(1, second.<Tenant>get(Table.TENANTS, "a").orElseThrow().getMeta().getRevision());
    second.put(Table.TENANTS, "a", tenant("a", 2));
    second.commitToParent();

    List<Change> changes = txn.changes();
    assertEquals(1, changes.size());
    assertEquals(2, ((Tenant) changes.get(0).value()).getMeta().getRevision());
    assertEquals(v0, changes.get(0).previous());
  }

  @Test
  void aKeyCreatedAndDeletedInOneTransactionIsADeleteOfNothing() {
    StateTxn txn = new StateTxn(stateWith());
    StateTxn create = txn.child();
    create.put(Table.TENANTS, "a", tenant("a", 1));
    create.commitToParent();
    StateTxn delete = txn.child();
    delete.delete(Table.TENANTS, "a");
    delete.commitToParent();

    assertTrue(txn.get(Table.TENANTS, "a").isEmpty());
    Change c = txn.changes().get(0);
    assertTrue(c.isDelete());
    assertNull(c.previous());
  }

  @Test
  void aDeletedKeyIsGoneForLaterChildrenAndRecordsWhatItHeld() {
    Tenant v0 = tenant("a", 0);
    StateTxn txn = new StateTxn(stateWith(v0));
    StateTxn delete = txn.child();
    delete.delete(Table.TENANTS, "a");
    delete.commitToParent();

    assertTrue(txn.child().get(Table.TENANTS, "a").isEmpty());
    assertEquals(v0, txn.changes().get(0).previous());
  }

  @Test
  void aDroppedChildLeavesNoTraceAndChangesKeepTheirFirstWriteOrder() {
    StateTxn txn = new StateTxn(stateWith());
    StateTxn kept = txn.child();
    kept.put(Table.TENANTS, "b", tenant("b", 1));
    kept.put(Table.TENANTS, "a", tenant("a", 1));
    kept.commitToParent();
    StateTxn dropped = txn.child();
    dropped.put(Table.TENANTS, "c", tenant("c", 1));

    assertTrue(txn.get(Table.TENANTS, "c").isEmpty());
    assertEquals(List.of("b", "a"), txn.changes().stream().map(Change::key).toList());
  }
}
