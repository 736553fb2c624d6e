package dev.canopy.local;

import java.io.PrintStream;
import java.time.Duration;

/** Progress lines of the launcher and the demo, each with the seconds since the start. */
public final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();

    public Progress(PrintStream out) {
        this.out = out;
    }

    /** A step that is starting. */
    public void step(String what) {
        out.printf("[%6.1fs] %s%n", elapsedSeconds(), what);
        out.flush();
    }

    /** A detail of the current step. */
    public void detail(String what) {
        out.printf("          %s%n", what);
        out.flush();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
