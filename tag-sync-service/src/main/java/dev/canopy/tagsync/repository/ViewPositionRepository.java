package dev.canopy.tagsync.repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** How far each view has dealt with its topic: per partition, the offset after the last record applied or skipped. */
@ApplicationScoped
public class ViewPositionRepository {

    private final EntityManager em;

    public ViewPositionRepository(EntityManager em) {
        this.em = em;
    }

    /** Moves the partition's position forward, never back: a redelivered record must not rewind it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void advance(String topic, int partition, long nextOffset) {
        em.createNativeQuery("INSERT INTO view_position (topic, kafka_partition, next_offset) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (topic, kafka_partition) "
                        + "DO UPDATE SET next_offset = GREATEST(view_position.next_offset, EXCLUDED.next_offset)")
                .setParameter(1, topic).setParameter(2, partition).setParameter(3, nextOffset).executeUpdate();
    }

    /**
     * The committed positions of a topic's partitions; a partition no record was dealt with yet is absent. Always a
     * transaction of its own, so a caller inside a longer transaction still sees what other transactions committed.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<Integer, Long> positions(String topic) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT kafka_partition, next_offset FROM view_position WHERE topic = ?1", Object[].class)
                .setParameter(1, topic).getResultList();
        Map<Integer, Long> positions = new HashMap<>();
        for (Object[] row : rows) {
            positions.put(((Number) row[0]).intValue(), ((Number) row[1]).longValue());
        }
        return positions;
    }
}
