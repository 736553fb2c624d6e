package dev.canopy.collector.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The fingerprint of the last SpendSnapshot published for one subscription, day and cost type. */
@Entity
@Table(name = "spend_state")
public class SpendState {

    @Id
    @Column(name = "spend_key")
    public String spendKey;

    @Column(name = "subscription_id")
    public String subscriptionId;

    public String fingerprint;
}
