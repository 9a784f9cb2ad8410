package dev.taskgate.auth;

import dev.taskgate.error.TaskgateException;
import jakarta.enterprise.context.RequestScoped;

/** The tenant of the authenticated caller of the current request. */
@RequestScoped
public class CallerTenant {

    private String id;

    public String id() {
        if (id == null) {
            throw TaskgateException.unauthorized();
        }
        return id;
    }

    public void set(String tenantId) {
        this.id = tenantId;
    }
}
