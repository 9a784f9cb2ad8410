package dev.taskgate.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.List;

/**
 * A tenant's defaults for its new tasks: the tools whose calls wait for a decision when a task
 * does not name its own {@code require_approval}.
 */
@ApplicationScoped
public class TenantSettings {

    private final EntityManager database;
    private final ToolCatalog tools;

    public TenantSettings(EntityManager database, ToolCatalog tools) {
        this.database = database;
        this.tools = tools;
    }

    /** The tenant's default {@code require_approval}: empty unless set. */
    public List<String> requireApproval(String tenantId) {
        List<?> stored = QuarkusTransaction.joiningExisting().call(() -> database.createNativeQuery(
                        "SELECT require_approval FROM tenant_settings WHERE tenant_id = ?1")
                .setParameter(1, tenantId).getResultList());
        return stored.isEmpty() ? List.of() : ToolNames.parse((String) stored.get(0));
    }

    /** Sets the tenant's default {@code require_approval} (known tools or "*"); returns it. */
    public List<String> setRequireApproval(String tenantId, List<String> names) {
        List<String> checked = ToolNames.checked(names, tools.names());
        QuarkusTransaction.requiringNew().run(() -> database.createNativeQuery(
                        "INSERT INTO tenant_settings (tenant_id, require_approval, updated_at) VALUES (?1, ?2, now())"
                                + " ON CONFLICT (tenant_id) DO UPDATE SET require_approval = ?2, updated_at = now()")
                .setParameter(1, tenantId).setParameter(2, String.join(",", checked)).executeUpdate());
        return checked;
    }
}
