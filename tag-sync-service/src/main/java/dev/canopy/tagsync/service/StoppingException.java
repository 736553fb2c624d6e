package dev.canopy.tagsync.service;

/** An edit's processing was cut short by the application stopping: it is left for the next instance, undecided. */
public class StoppingException extends RuntimeException {

    StoppingException(String what) {
        super(what + " while the application is stopping; left for the next instance", null, false, false);
    }
}
