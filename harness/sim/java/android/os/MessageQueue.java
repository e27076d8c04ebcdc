package android.os;

import java.util.PriorityQueue;

/** Messages ordered by due time, then by arrival (FIFO for equal times, like Android). */
public final class MessageQueue {
    private final PriorityQueue<Message> queue = new PriorityQueue<>((a, b) ->
        a.when != b.when ? Long.compare(a.when, b.when) : Long.compare(a.seq, b.seq));
    private long seq;
    private boolean quitting;

    synchronized boolean enqueue(Message m, long when) {
        if (quitting) return false;
        m.when = when;
        m.seq = seq++;
        queue.add(m);
        notifyAll();
        return true;
    }

    synchronized void quit() {
        quitting = true;
        notifyAll();
    }

    synchronized void remove(Handler h, Runnable r, int what, boolean byWhat) {
        queue.removeIf(m -> m.target == h && (byWhat ? m.what == what && m.callback == null : m.callback == r));
    }

    synchronized Message next() {
        while (true) {
            if (quitting) return null;
            Message head = queue.peek();
            long now = SystemClock.uptimeMillis();
            if (head != null && head.when <= now) return queue.poll();
            try {
                if (head == null) wait(); else wait(Math.max(1, head.when - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
