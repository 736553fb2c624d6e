package dev.canopy.consent.repository;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Tenants by id. */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    /** The tenants among {@code ids}, by id. */
    public List<Tenant> listByIds(Collection<String> ids) {
        return ids.isEmpty() ? List.of() : list("id in ?1 order by id", ids);
    }

    /** Every tenant, by id (ops). */
    public List<Tenant> listAllOrdered() {
        return list("order by id");
    }
}
