package android.os;

/** Cancels a provider query in progress (the sim's queries are instant: only the flag). */
public final class CancellationSignal {
    private volatile boolean canceled;

    public CancellationSignal() {}

    public boolean isCanceled() { return canceled; }

    public void cancel() { canceled = true; }
}
