/*
 * consent-harness Frida agent (DESIGN §4.2, docs/internals.md "Agent protocol").
 *
 * Plain JavaScript, loaded as is: the host prepends frida-tools' prebuilt Java bridge
 * and `const Java = bridge;`. The agent hooks what the catalog passed to init() names,
 * applies argument matchers, reports calls and UI markers in batches, and judges
 * nothing: all judgement happens in Python.
 *
 * Threads: hooks run on the app's threads, RPC and timers on the agent's JS thread; all
 * share one JS lock. Everything that must be atomic (sequence numbers, stack interning)
 * runs without calling anything that releases that lock.
 */
'use strict';

const PROTOCOL = 1;
const TRUNCATE = 200;
const MAX_ARRAY_ITEMS = 8;
const MAX_ERRORS_PER_SOURCE = 5;
const MAX_VIEW_NODES = 300;
const JVMTI_VERSION_1_2 = 0x30010200;
const ps = Process.pointerSize;

const state = {
  initialised: false,
  config: null,
  seq: 0, // per-agent sequence number of events AND markers
  batchSeq: 0,
  pending: [],
  pendingStacks: null, // {id: [frames]} defined since the last batch
  batchMax: 500,
  timer: null,
  pid: Process.id,
  jsTid: Process.getCurrentThreadId(),
  threadNames: new Map(),
  errorCounts: new Map(),
  disposed: false,
  stacks: null, // stack capturer, see makeStackCapture()
  hookedMethods: new Set(), // "class.method" hooked by the catalog
  installedIds: new Set(), // catalog ids hooked, at init and late
  readyBase: {}, // what every hooks_ready marker repeats (stack, runtime, network)
  // Threads inside a reported catalog call (see hookOverload): what they call meanwhile is
  // the framework at work on that one call (an overload delegating to another, a hooked API
  // calling a hooked API), not another app call.
  inCall: new Set(),
  releaseDebugger: null,
  ackToken: 0, // last token asked for in a `dying` message
  acked: 0 // last token the host acknowledged (it wrote everything before it)
};

/*
 * Dying: before the process dies the agent flushes its batch and waits, bounded, until the
 * host acknowledges that it has written it. The wait sleeps in native usleep(), which
 * releases the JS lock, so the JS thread can run the `ack` handler meanwhile.
 */
const DYING_ACK_MS = 500;
const usleepPtr = Module.findGlobalExportByName('usleep');
const usleep = usleepPtr !== null ? new NativeFunction(usleepPtr, 'int', ['uint']) : null;

function onAck (message) {
  if (typeof message.token === 'number' && message.token > state.acked) {
    state.acked = message.token;
  }
  recv('ack', onAck);
}
recv('ack', onAck);

/* ------------------------------------------------------------------ messages */

function flush () {
  if (state.pending.length === 0 && state.pendingStacks === null) {
    return 0;
  }
  const events = state.pending;
  const stacks = state.pendingStacks;
  state.pending = [];
  state.pendingStacks = null;
  const msg = { type: 'events', seq: state.batchSeq++, pid: state.pid, events };
  if (stacks !== null) {
    msg.stacks = stacks;
  }
  send(msg);
  return events.length;
}

function push (item) {
  // Callers build `item` completely first: from here to the push nothing may release
  // the JS lock, so that sequence numbers reach the host in order.
  item.seq = state.seq++;
  state.pending.push(item);
  if (state.pending.length >= state.batchMax) {
    flush();
  }
}

/* Flush and wait (bounded) for the host to confirm it wrote everything; returns whether it
 * did. `via` names the death path (killProcess, Runtime.exit, uncaught…). */
function flushBeforeDeath (via, detail) {
  const token = ++state.ackToken;
  try {
    flush();
    send({ type: 'dying', token, via, ts: Date.now(), detail: detail || {} });
  } catch (e) {
    return false;
  }
  if (usleep === null) {
    return false;
  }
  const deadline = Date.now() + DYING_ACK_MS;
  while (state.acked < token && Date.now() < deadline) {
    usleep(2000);
  }
  return state.acked >= token;
}

function reportError (source, error, extra) {
  const n = (state.errorCounts.get(source) || 0) + 1;
  state.errorCounts.set(source, n);
  if (n > MAX_ERRORS_PER_SOURCE) {
    return;
  }
  const msg = {
    type: 'error',
    source,
    message: String((error && error.message) || error),
    stack: (error && error.stack) ? String(error.stack) : null,
    count: n
  };
  if (extra !== undefined) {
    msg.detail = extra;
  }
  send(msg);
}

function log (level, message) {
  send({ type: 'log', level, message: String(message) });
}

/* ---------------------------------------------------------------- stacks */

/*
 * Stack capture. Measured options (docs/agent-costs.md): Log.getStackTraceString(new
 * Throwable()) ~64 µs per call; Throwable.$new() alone ~29 µs. The JVMTI path below asks
 * the VM for (method, bci) pairs of the current thread, interns the whole stack in a
 * small C table (CModule, compiled in-process by TinyCC, no toolchain needed) and only
 * resolves names for stacks never seen before. An event carries a stack id; a batch
 * carries the definitions of the ids first used in it.
 */
const STACK_C = `
typedef struct { void *method; long long location; } Frame;
typedef int (*GetStackTraceFn) (void *env, void *thread, int start, int max, Frame *buf, int *count);

#define MAX_DEPTH 128
#define NSLOTS 8192
#define POOL (NSLOTS * 24)

typedef struct {
  void *jvmti;
  GetStackTraceFn get_stack_trace;
  int depth;
  int scratch_count;
  Frame scratch[MAX_DEPTH];
  unsigned int slot_hash[NSLOTS];
  int slot_id[NSLOTS];
  int slot_off[NSLOTS];
  int slot_len[NSLOTS];
  int pool_used;
  int next_id;
  Frame pool[POOL];
} Table;

/* No writable globals: CModule data is not writable on every Frida build. */
int stack_table_size (void) {
  return sizeof (Table);
}

void stack_setup (Table *t, void *env, int max_depth) {
  char *p = (char *) t;
  for (unsigned long i = 0; i != sizeof (Table); i++)
    p[i] = 0;
  t->jvmti = env;
  t->get_stack_trace = (GetStackTraceFn) ((void **) *(void **) env)[103];
  t->depth = max_depth > MAX_DEPTH ? MAX_DEPTH : max_depth;
}

void *stack_scratch (Table *t) {
  return t->scratch;
}

int stack_scratch_count (Table *t) {
  return t->scratch_count;
}

/* >= 0: a known stack id. <= -1: a new stack, id = -(r + 1), frames in scratch.
   -1000000: frames in scratch, table full (not interned). < -2000000: JVMTI error. */
int stack_capture (Table *t, int skip) {
  int count = 0;
  int err = t->get_stack_trace(t->jvmti, 0, skip, t->depth, t->scratch, &count);
  if (err != 0)
    return -2000000 - err;
  t->scratch_count = count;
  unsigned int h = 2166136261u;
  for (int i = 0; i != count; i++) {
    unsigned long long m = (unsigned long long) t->scratch[i].method;
    h = (h ^ (unsigned int) m) * 16777619u;
    h = (h ^ (unsigned int) (m >> 32)) * 16777619u;
    h = (h ^ (unsigned int) t->scratch[i].location) * 16777619u;
  }
  h ^= (unsigned int) count;
  unsigned int idx = h & (NSLOTS - 1);
  for (int probe = 0; probe != NSLOTS; probe++) {
    if (t->slot_id[idx] == 0) {
      if (t->next_id >= NSLOTS - NSLOTS / 8 || t->pool_used + count > POOL)
        return -1000000;
      Frame *dst = t->pool + t->pool_used;
      for (int i = 0; i != count; i++)
        dst[i] = t->scratch[i];
      t->slot_hash[idx] = h;
      t->slot_off[idx] = t->pool_used;
      t->slot_len[idx] = count;
      t->pool_used += count;
      int id = t->next_id++;
      t->slot_id[idx] = id + 1;
      return -(id + 1);
    }
    if (t->slot_hash[idx] == h && t->slot_len[idx] == count) {
      Frame *f = t->pool + t->slot_off[idx];
      int same = 1;
      for (int i = 0; i != count; i++) {
        if (f[i].method != t->scratch[i].method || f[i].location != t->scratch[i].location) {
          same = 0;
          break;
        }
      }
      if (same)
        return t->slot_id[idx] - 1;
    }
    idx = (idx + 1) & (NSLOTS - 1);
  }
  return -1000000;
}
`;

function jvmtiCall (env, index, retType, argTypes) {
  const table = env.readPointer();
  return new NativeFunction(table.add((index - 1) * ps).readPointer(), retType, argTypes,
    { scheduling: 'exclusive', exceptions: 'propagate' });
}

function makeJvmtiStacks (maxDepth) {
  const vmHandle = Java.vm.handle;
  const getEnv = new NativeFunction(vmHandle.readPointer().add(6 * ps).readPointer(), 'int',
    ['pointer', 'pointer', 'int'], { scheduling: 'exclusive' });
  const out = Memory.alloc(ps);
  if (getEnv(vmHandle, out, JVMTI_VERSION_1_2) !== 0) {
    return null;
  }
  const env = out.readPointer();
  if (env.isNull()) {
    return null;
  }
  // can_get_source_file_name (bit 11) and can_get_line_numbers (bit 12)
  const caps = Memory.alloc(16);
  caps.writeU32(1 << 11 | 1 << 12);
  const addCapabilities = jvmtiCall(env, 142, 'int', ['pointer', 'pointer']);
  const withLines = addCapabilities(env, caps) === 0;

  const deallocate = jvmtiCall(env, 47, 'int', ['pointer', 'pointer']);
  const getClassSignature = jvmtiCall(env, 48, 'int', ['pointer', 'pointer', 'pointer', 'pointer']);
  const getSourceFileName = jvmtiCall(env, 50, 'int', ['pointer', 'pointer', 'pointer']);
  const getMethodName = jvmtiCall(env, 64, 'int', ['pointer', 'pointer', 'pointer', 'pointer', 'pointer']);
  const getDeclaringClass = jvmtiCall(env, 65, 'int', ['pointer', 'pointer', 'pointer']);
  const getLineNumberTable = jvmtiCall(env, 70, 'int', ['pointer', 'pointer', 'pointer', 'pointer']);
  const getThreadInfo = jvmtiCall(env, 9, 'int', ['pointer', 'pointer', 'pointer']);

  const cm = new CModule(STACK_C);
  state.cmodule = cm; // keep it (and its table) alive as long as the agent
  const size = new NativeFunction(cm.stack_table_size, 'int', [])();
  const table = Memory.alloc(size);
  state.stackTable = table;
  new NativeFunction(cm.stack_setup, 'void', ['pointer', 'pointer', 'int'], { scheduling: 'exclusive' })(table, env, maxDepth);
  const captureFn = new NativeFunction(cm.stack_capture, 'int', ['pointer', 'int'], { scheduling: 'exclusive', exceptions: 'propagate' });
  const capture = skip => captureFn(table, skip);
  const scratch = new NativeFunction(cm.stack_scratch, 'pointer', ['pointer'])(table);
  const scratchCountFn = new NativeFunction(cm.stack_scratch_count, 'int', ['pointer'], { scheduling: 'exclusive' });
  const scratchCount = () => scratchCountFn(table);

  const p1 = Memory.alloc(ps);
  const p2 = Memory.alloc(ps);
  const p3 = Memory.alloc(ps);
  const methods = new Map(); // jmethodID (string) -> {prefix, file, lines: [[bci, line]...] | null, native}
  const overflow = new Map(); // frames of stacks that did not fit the table, keyed by text

  function takeString (p) {
    const s = p.readPointer();
    if (s.isNull()) {
      return null;
    }
    const v = s.readUtf8String();
    deallocate(env, s);
    return v;
  }

  function methodInfo (mid) {
    const key = mid.toString();
    let info = methods.get(key);
    if (info !== undefined) {
      return info;
    }
    info = { prefix: '?', file: null, lines: null };
    p1.writePointer(NULL); p2.writePointer(NULL); p3.writePointer(NULL);
    let name = '?';
    if (getMethodName(env, mid, p1, p2, p3) === 0) {
      name = takeString(p1); takeString(p2); takeString(p3);
    }
    let cls = '?';
    if (getDeclaringClass(env, mid, p1) === 0) {
      const klass = p1.readPointer();
      p2.writePointer(NULL); p3.writePointer(NULL);
      if (getClassSignature(env, klass, p2, p3) === 0) {
        const sig = takeString(p2); takeString(p3);
        cls = sig.startsWith('L') && sig.endsWith(';') ? sig.slice(1, -1).replace(/\//g, '.') : sig;
      }
      if (withLines) {
        p2.writePointer(NULL);
        if (getSourceFileName(env, klass, p2) === 0) {
          info.file = takeString(p2);
        }
      }
    }
    info.prefix = cls + '.' + name;
    if (withLines) {
      p1.writeS32(0);
      p2.writePointer(NULL);
      const err = getLineNumberTable(env, mid, p1, p2);
      if (err === 0) {
        const n = p1.readS32();
        const table = p2.readPointer();
        const lines = [];
        for (let i = 0; i !== n; i++) {
          const e = table.add(i * 16); // {jlocation start_location; jint line_number}
          lines.push([e.readS64().toNumber(), e.add(8).readS32()]);
        }
        lines.sort((a, b) => a[0] - b[0]);
        if (!table.isNull()) {
          deallocate(env, table);
        }
        info.lines = lines;
      } else if (err === 41) { // JVMTI_ERROR_NATIVE_METHOD
        info.native = true;
      }
    }
    methods.set(key, info);
    return info;
  }

  function frameText (mid, bci) {
    const info = methodInfo(mid);
    if (info.native || bci < 0) {
      return info.prefix + '(Native Method)';
    }
    if (info.file === null) {
      return info.prefix + '(Unknown Source)';
    }
    if (info.lines === null || info.lines.length === 0) {
      return info.prefix + '(' + info.file + ')';
    }
    let line = info.lines[0][1];
    for (const [start, l] of info.lines) {
      if (start > bci) {
        break;
      }
      line = l;
    }
    return info.prefix + '(' + info.file + ':' + line + ')';
  }

  function scratchFrames () {
    const n = scratchCount();
    const frames = [];
    for (let i = 0; i !== n; i++) {
      const f = scratch.add(i * 16);
      frames.push(frameText(f.readPointer(), f.add(8).readS64().toNumber()));
    }
    return frames;
  }

  const threadInfo = Memory.alloc(32);

  return {
    strategy: 'jvmti',
    /** Returns a stack id (number), or a list of frames when it could not be interned. */
    capture () {
      const r = capture(0);
      if (r >= 0) {
        return r;
      }
      if (r > -1000000) {
        const id = -(r + 1);
        if (state.pendingStacks === null) {
          state.pendingStacks = {};
        }
        state.pendingStacks[id] = scratchFrames();
        return id;
      }
      if (r === -1000000) {
        const frames = scratchFrames();
        const key = frames.join('\n');
        if (!overflow.has(key) && overflow.size < 1024) {
          overflow.set(key, frames);
        }
        return frames;
      }
      throw new Error('JVMTI GetStackTrace failed: error ' + (-(r + 2000000)));
    },
    threadName () {
      if (getThreadInfo(env, NULL, threadInfo) !== 0) {
        return null;
      }
      return takeString(threadInfo);
    }
  };
}

/* Fallback for VMs without JVMTI (ART in a non-debuggable app): one Throwable per call,
   its frames read back with a single Arrays.toString(getStackTrace()). */
function makeThrowableStacks (maxDepth) {
  const Throwable = Java.use('java.lang.Throwable');
  const Arrays = Java.use('java.util.Arrays');
  const Thread = Java.use('java.lang.Thread');
  const ids = new Map();
  let nextId = 0;
  return {
    strategy: 'throwable',
    capture () {
      const text = Arrays.toString(Throwable.$new().getStackTrace());
      const frames = text.length > 2 ? text.slice(1, -1).split(', ').slice(0, maxDepth) : [];
      const key = frames.join('\n');
      let id = ids.get(key);
      if (id === undefined) {
        if (ids.size >= 8192) {
          return frames;
        }
        id = nextId++;
        ids.set(key, id);
        if (state.pendingStacks === null) {
          state.pendingStacks = {};
        }
        state.pendingStacks[id] = frames.map(stripModule);
      }
      return id;
    },
    threadName () {
      return String(Thread.currentThread().getName());
    }
  };
}

/* The naive way, kept for the cost measurements in docs/agent-costs.md only. */
function makeNaiveStacks (maxDepth) {
  const Throwable = Java.use('java.lang.Throwable');
  const Log = Java.use('android.util.Log');
  const Thread = Java.use('java.lang.Thread');
  return {
    strategy: 'naive',
    capture () {
      const text = String(Log.getStackTraceString(Throwable.$new()));
      return text.split('\n').slice(1, 1 + maxDepth).map(l => stripModule(l.trim().replace(/^at /, '')));
    },
    threadName () {
      return String(Thread.currentThread().getName());
    }
  };
}

function stripModule (frame) {
  // "java.base/java.lang.Thread.run(Thread.java:833)" -> "java.lang.Thread.run(Thread.java:833)"
  const slash = frame.indexOf('/');
  const paren = frame.indexOf('(');
  return slash >= 0 && (paren < 0 || slash < paren) ? frame.slice(frame.lastIndexOf('/', paren < 0 ? frame.length : paren) + 1) : frame;
}

function makeStacks (config) {
  const want = config.stack;
  if (want === false || want === 0) {
    return { strategy: 'none', capture: () => null, threadName: null };
  }
  const depth = typeof want === 'number' ? want : 32;
  const strategy = config.stack_strategy || 'auto';
  if (strategy === 'naive') {
    return makeNaiveStacks(depth);
  }
  if (strategy === 'auto' || strategy === 'jvmti') {
    try {
      const s = makeJvmtiStacks(depth);
      if (s !== null) {
        return s;
      }
    } catch (e) {
      if (strategy === 'jvmti') {
        throw e;
      }
      log('warning', 'JVMTI stacks unavailable, falling back to Throwable: ' + e.message);
    }
    if (strategy === 'jvmti') {
      throw new Error('JVMTI is not available in this VM');
    }
  }
  return makeThrowableStacks(depth);
}

/* ---------------------------------------------------------------- threads */

let javaThread = null;

function currentThread (tid) {
  let name = state.threadNames.get(tid);
  if (name === undefined) {
    name = null;
    if (state.stacks !== null && state.stacks.threadName) {
      name = state.stacks.threadName();
    }
    if (name === null) {
      if (javaThread === null) {
        javaThread = Java.use('java.lang.Thread');
      }
      name = String(javaThread.currentThread().getName());
    }
    state.threadNames.set(tid, name);
  }
  return name;
}

/* ---------------------------------------------------------------- summaries */

function trunc (s) {
  return s.length > TRUNCATE ? s.slice(0, TRUNCATE) + '…(' + s.length + ')' : s;
}

let javaObject = null;

function objectToString (v) {
  if (javaObject === null) {
    javaObject = Java.use('java.lang.Object');
  }
  return javaObject.toString.call(v);
}

function summarize (v) {
  if (v === null || v === undefined) {
    return 'null';
  }
  const t = typeof v;
  if (t === 'string') {
    return trunc(v);
  }
  if (t === 'number' || t === 'boolean' || t === 'bigint') {
    return String(v);
  }
  if (t === 'object') {
    if (v.$h === undefined && typeof v.length === 'number') {
      const n = v.length;
      const parts = [];
      for (let i = 0; i < n && i < MAX_ARRAY_ITEMS; i++) {
        parts.push(summarize(v[i]));
      }
      return trunc('[' + parts.join(', ') + (n > MAX_ARRAY_ITEMS ? ', …' : '') + '] (' + n + ')');
    }
    try {
      return trunc(String(objectToString(v)));
    } catch (e) {
      return '<' + (v.$className || 'object') + '>';
    }
  }
  return trunc(String(v));
}

/* ---------------------------------------------------------------- matchers */

function uriAuthority (s) {
  const i = s.indexOf('://');
  if (i < 0) {
    return null;
  }
  const rest = s.slice(i + 3);
  const m = /^[^/?#]*/.exec(rest);
  let auth = m[0];
  const at = auth.lastIndexOf('@');
  if (at >= 0) {
    auth = auth.slice(at + 1);
  }
  return auth;
}

function compileMatcher (match) {
  if (match === null || match === undefined) {
    return null;
  }
  const arg = match.arg || 0;
  const tests = [];
  if (match.authority) {
    const set = new Set(match.authority);
    tests.push(s => set.has(uriAuthority(s)));
  }
  if (match.prefix) {
    tests.push(s => match.prefix.some(p => s.startsWith(p)));
  }
  if (match.suffix) {
    tests.push(s => match.suffix.some(p => s.endsWith(p)));
  }
  if (match.equals) {
    tests.push(s => match.equals.indexOf(s) >= 0);
  }
  if (match.contains) {
    tests.push(s => match.contains.some(p => s.indexOf(p) >= 0));
  }
  return { arg, test: s => tests.some(t => t(s)) };
}

/* ---------------------------------------------------------------- type names */

const PRIMITIVE_CODES = {
  boolean: 'Z', byte: 'B', char: 'C', short: 'S', int: 'I', long: 'J', float: 'F', double: 'D'
};
const CODE_PRIMITIVES = Object.fromEntries(Object.entries(PRIMITIVE_CODES).map(([k, v]) => [v, k]));

/** Catalog spelling ("java.lang.String[]") -> Frida's overload() spelling ("[Ljava.lang.String;"). */
function toFridaType (t) {
  let dims = 0;
  while (t.endsWith('[]')) {
    t = t.slice(0, -2);
    dims++;
  }
  if (dims === 0) {
    return t;
  }
  const base = PRIMITIVE_CODES[t] !== undefined ? PRIMITIVE_CODES[t] : 'L' + t + ';';
  return '['.repeat(dims) + base;
}

/** Frida's spelling -> catalog spelling. */
function toCatalogType (t) {
  let dims = 0;
  while (t.startsWith('[')) {
    t = t.slice(1);
    dims++;
  }
  if (dims === 0) {
    return t;
  }
  const base = t.startsWith('L') && t.endsWith(';') ? t.slice(1, -1) : (CODE_PRIMITIVES[t] || t);
  return base + '[]'.repeat(dims);
}

/* ---------------------------------------------------------------- catalog hooks */

function outsideSdk (entry, sdk) {
  return typeof sdk === 'number' &&
    ((typeof entry.min_sdk === 'number' && sdk < entry.min_sdk) ||
     (typeof entry.max_sdk === 'number' && sdk > entry.max_sdk));
}

function installCatalog (allEntries, sdk) {
  const installed = [];
  const failed = [];
  const warnings = [];
  const skipped = allEntries.filter(e => outsideSdk(e, sdk)).map(e => e.id);
  const entries = allEntries.filter(e => !outsideSdk(e, sdk));
  // group by class + method, keeping catalog order
  const groups = new Map();
  for (const e of entries) {
    const key = e.class + '.' + e.method;
    if (!groups.has(key)) {
      groups.set(key, []);
    }
    groups.get(key).push(e);
  }
  const out = { hookedIds: new Set(), failures: new Map(), warnings };
  // A framework class this process does not contain (an API the VM lacks) cannot be
  // called, so it is no blind spot: it is reported as absent. A class an app ships (an
  // SDK, androidx) may still come with a class loader the app creates later: it is
  // pending, searched for in every loader until the end of the run (see lateHooks).
  const absent = [];
  const pending = [];
  for (const [key, group] of groups) {
    const cls = group[0].class;
    let wrapper;
    try {
      wrapper = Java.use(cls);
    } catch (e) {
      for (const entry of group) {
        (isFrameworkClass(cls) ? absent : pending).push(entry.id);
      }
      if (!isFrameworkClass(cls)) {
        lateHooks.addPending(cls, key, group);
      }
      continue;
    }
    hookGroup(wrapper, key, group, out);
  }
  for (const e of entries) {
    if (out.hookedIds.has(e.id)) {
      installed.push(e.id);
    } else if (out.failures.has(e.id)) {
      failed.push({ id: e.id, error: out.failures.get(e.id) });
    }
  }
  return { installed, failed, warnings, skipped, absent, pending };
}

/* Hooks one class + method group on `wrapper`; adds to out.hookedIds / failures / warnings. */
function hookGroup (wrapper, key, group, out) {
  const method = group[0].method;
  const { hookedIds, failures, warnings } = out;
  const m = wrapper[method];
  if (m === undefined || m.overloads === undefined) {
    for (const entry of group) {
      failures.set(entry.id, 'method not found: ' + key);
    }
    return;
  }
  // overload signature (catalog spelling, comma-joined) -> entries, catalog order
  const plan = new Map();
  const available = new Map(m.overloads.map(ov => [ov.argumentTypes.map(a => toCatalogType(a.className)).join(','), ov]));
  for (const entry of group) {
    if (entry.overloads === null || entry.overloads === undefined) {
      for (const sig of available.keys()) {
        if (!plan.has(sig)) {
          plan.set(sig, []);
        }
        plan.get(sig).push(entry);
      }
      continue;
    }
    for (const params of entry.overloads) {
      const sig = params.join(',');
      if (!available.has(sig)) {
        warnings.push({ id: entry.id, error: 'overload not found: ' + key + '(' + sig + ')' });
        continue;
      }
      if (!plan.has(sig)) {
        plan.set(sig, []);
      }
      plan.get(sig).push(entry);
    }
  }
  for (const [sig, targets] of plan) {
    const ov = available.get(sig);
    try {
      hookOverload(ov, sig, targets);
      for (const t of targets) {
        hookedIds.add(t.id);
      }
    } catch (e) {
      for (const t of targets) {
        warnings.push({ id: t.id, error: 'hook failed: ' + key + '(' + sig + '): ' + e.message });
      }
    }
  }
  state.hookedMethods.add(key);
  for (const entry of group) {
    if (!hookedIds.has(entry.id) && !failures.has(entry.id)) {
      failures.set(entry.id, 'no overload could be hooked: ' + key);
    }
  }
}

function hookOverload (ov, sig, targets) {
  const compiled = targets.map(t => ({
    id: t.id,
    matcher: compileMatcher(t.match),
    permissionRequest: t.category === 'permission_request',
    // fault injection for the tests of error isolation
    fail: Array.isArray(state.config.fail_ids) && state.config.fail_ids.indexOf(t.id) >= 0
  }));
  const unconditional = compiled.length === 1 && compiled[0].matcher === null ? compiled[0] : null;
  const errorSource = 'hook:' + targets[0].class + '.' + targets[0].method + '(' + sig + ')';

  ov.implementation = function () {
    const args = arguments;
    // One app call = one event: a hooked method entered while this thread is already inside
    // a reported one (Android's overloads delegate: query 5 args -> 6 -> Bundle) is part of
    // that call. Only the outermost is reported; the nested ones just run.
    const tid = Process.getCurrentThreadId();
    if (state.inCall.has(tid)) {
      return ov.apply(this, args);
    }
    let target = unconditional;
    let ts = 0;
    let stack = null;
    try {
      if (target === null) {
        for (const c of compiled) {
          if (c.matcher === null) {
            target = c;
            break;
          }
          const a = args[c.matcher.arg];
          if (a !== null && a !== undefined && c.matcher.test(summarizeForMatch(a))) {
            target = c;
            break;
          }
        }
      }
      if (target !== null) {
        if (target.fail) {
          throw new Error('injected failure (config.fail_ids) in ' + target.id);
        }
        ts = Date.now();
        stack = state.stacks.capture();
      }
    } catch (e) {
      reportError(errorSource, e);
      target = null;
    }
    if (target === null) {
      // not reported (no matcher matched): a nested call may still be the one that is
      return ov.apply(this, args);
    }
    state.inCall.add(tid);
    try {
      return reportCall(this, ov, args, sig, target, ts, tid, stack, errorSource);
    } finally {
      // only after the summaries: toString() of an argument may call hooked methods too
      state.inCall.delete(tid);
    }
  };
}

/* The reported call: runs the original, then queues its event (and marker). */
function reportCall (self, ov, args, sig, target, ts, tid, stack, errorSource) {
  let ret;
  let threw = null;
  let failure = null;
  try {
    ret = ov.apply(self, args);
  } catch (e) {
    failure = e;
    threw = javaExceptionClass(e);
  }
  try {
    const thread = currentThread(tid);
    const summaryArgs = [];
    for (let i = 0; i !== args.length; i++) {
      summaryArgs.push(summarize(args[i]));
    }
    const item = {
      type: 'call',
      ts,
      tid,
      thread,
      id: target.id,
      overload: sig,
      args: summaryArgs,
      ret: failure === null && ret !== undefined ? summarize(ret) : null,
      threw,
      stack
    };
    let marker = null;
    if (target.permissionRequest) {
      marker = makeMarker('permission_prompt', { api: target.id, permissions: summaryArgs }, tid, thread);
    }
    push(item);
    if (marker !== null) {
      push(marker);
    }
  } catch (e) {
    reportError(errorSource, e);
  }
  if (failure !== null) {
    throw failure;
  }
  return ret;
}

function summarizeForMatch (a) {
  return typeof a === 'string' ? a : String(objectToString(a));
}

function javaExceptionClass (e) {
  const text = String((e && e.message) || e);
  const m = /^([\w$.]+)(:|$)/.exec(text);
  return m !== null ? m[1] : text.slice(0, TRUNCATE);
}

/* ---------------------------------------------------------------- late hooks */

/*
 * Classes an app ships (its SDKs, androidx, the gms/OAID providers) live in the app's own
 * class loader (Android's PathClassLoader, made when the app binds: after the agent's init
 * under spawn and debug-wait alike) or in one it makes later (DexClassLoader: packers,
 * plug-in SDKs). At init they are pending; they are searched for in every loader until the
 * end of the run (finish()), and hooked as soon as one has them. Measured on HotSpot
 * (docs/internals.md "Late hooks"): ClassFactory.get(loader).use() and hooking from inside
 * a Java hook hang or crash the JVM; from the agent's JS thread they work, once the class
 * is initialised (hooking a class an app thread was still loading crashed the JVM); a
 * timer made inside a Java hook does not run before the hook returns, one made before does.
 * So the hook on BaseDexClassLoader.<init> hands the new loader to the JS thread (a
 * LATE_TICK_MS interval) and sleeps, bounded, until its classes are hooked: nothing of that
 * loader has run yet. Loaders of any other kind are found by a sweep of every class loader
 * every LATE_SWEEP_MS and at finish(). Each install is reported in a hooks_ready marker
 * (phase "late"): `resolved` ids were hooked before any code of their class ran (nothing
 * missed); `late` ids were hooked after their class was initialised: calls before the
 * marker were not seen. The "final" marker (finish(), or a death path) lists as `absent`
 * the ids no loader had.
 */
const FRAMEWORK_PREFIXES = ['java.', 'javax.', 'sun.', 'jdk.', 'dalvik.', 'libcore.', 'android.',
  'com.android.internal.', 'com.android.org.conscrypt.', 'org.json.', 'org.xml.', 'org.w3c.',
  'org.apache.harmony.'];
// under android.* but shipped inside the APK (the support library, old architecture components)
const SHIPPED_PREFIXES = ['android.support.', 'android.arch.'];
const LATE_TICK_MS = 10;
const LATE_SWEEP_MS = 2000;
const LATE_SWEEP_MAX_MS = 32000;
const LATE_WAIT_MS = 2000;
const CLASS_STATUS_INITIALIZED = 4;
const SKIPPED_LOADERS = new Set(['jdk.internal.reflect.DelegatingClassLoader']);

/** Is `cls` on the boot/framework class path (there at init, or never)? */
function isFrameworkClass (cls) {
  return FRAMEWORK_PREFIXES.some(p => cls.startsWith(p)) && !SHIPPED_PREFIXES.some(p => cls.startsWith(p));
}

const lateHooks = {
  classes: new Map(), // class name -> {groups: [[key, entries]], defs: [defining loaders hooked]}
  queue: [], // [ticket, loader] handed over by the loader hook
  ticket: 0,
  done: 0,
  swept: [], // loaders searched already
  timers: [],
  lastSweep: null,
  finished: false,
  lateIds: new Set(),
  resolvedIds: new Set(),
  jclass: null,
  classStatus: null,
  jvmti: undefined, // the agent's JVMTI env (null: none), see jvmtiEnv()
  getLoadedClasses: undefined,
  deallocate: undefined,
  loaderHook: null,
  addPending (cls, key, group) {
    if (!this.classes.has(cls)) {
      this.classes.set(cls, { groups: [], defs: [] });
    }
    this.classes.get(cls).groups.push([key, group]);
  }
};

/* A JVMTI environment of the agent's own, or null (ART, not debuggable). */
function jvmtiEnv () {
  if (lateHooks.jvmti === undefined) {
    lateHooks.jvmti = null;
    try {
      const vmHandle = Java.vm.handle;
      const getEnv = new NativeFunction(vmHandle.readPointer().add(6 * ps).readPointer(), 'int',
        ['pointer', 'pointer', 'int'], { scheduling: 'exclusive' });
      const out = Memory.alloc(ps);
      if (getEnv(vmHandle, out, JVMTI_VERSION_1_2) === 0 && !out.readPointer().isNull()) {
        lateHooks.jvmti = out.readPointer();
      }
    } catch (e) { /* no JVMTI here */ }
  }
  return lateHooks.jvmti;
}

/* JVMTI GetClassStatus (function 49), or null without JVMTI (ART, not debuggable). */
function makeClassStatus () {
  try {
    const env = jvmtiEnv();
    if (env === null) {
      return null;
    }
    const getClassStatus = jvmtiCall(env, 49, 'int', ['pointer', 'pointer', 'pointer']);
    const buf = Memory.alloc(4);
    return klass => getClassStatus(env, klass, buf) === 0 ? buf.readS32() : null;
  } catch (e) {
    return null;
  }
}

/* In init (performNow): the loader hook and the timers, only when some class is pending. */
function installLateHooks () {
  if (lateHooks.classes.size === 0) {
    return null;
  }
  lateHooks.jclass = Java.use('java.lang.Class');
  lateHooks.classStatus = makeClassStatus();
  try {
    const base = Java.use('dalvik.system.BaseDexClassLoader');
    for (const ov of base.$init.overloads) {
      ov.implementation = function () {
        const r = ov.apply(this, arguments);
        try {
          handOver(Java.retain(this));
        } catch (e) {
          reportError('late:loader', e);
        }
        return r;
      };
    }
    lateHooks.loaderHook = 'dalvik.system.BaseDexClassLoader.$init';
  } catch (e) { /* no such class in this VM: the sweeps find every loader */ }
  lateHooks.timers.push(setInterval(lateTick, LATE_TICK_MS));
  // Sweeps back off (2 s, 4 s, … at most LATE_SWEEP_MAX_MS) while they find nothing: a
  // sweep walks every loader and asks each for every pending class, which competes with a
  // hook-heavy app for the JS lock (a 100k-call burst slowed to a crawl under 2 s sweeps).
  let every = LATE_SWEEP_MS;
  const sweep = () => {
    let found = false;
    try {
      const before = lateHooks.classes.size;
      Java.performNow(() => sweepLoaders('sweep'));
      found = lateHooks.classes.size !== before;
    } catch (e) {
      reportError('late:sweep', e);
    }
    every = found ? LATE_SWEEP_MS : Math.min(every * 2, LATE_SWEEP_MAX_MS);
    if (!lateHooks.finished) {
      lateHooks.timers.push(setTimeout(sweep, every));
    }
  };
  lateHooks.timers.push(setTimeout(sweep, every));
  return lateHooks.loaderHook;
}

/* App thread, inside the loader's constructor hook: queue it, wait until it was searched. */
function handOver (loader) {
  if (lateHooks.finished) {
    return;
  }
  const ticket = ++lateHooks.ticket;
  lateHooks.queue.push([ticket, loader]);
  if (usleep === null || Process.getCurrentThreadId() === state.jsTid) {
    return; // the JS thread itself (a class it initialised made a loader): the tick takes it
  }
  const deadline = Date.now() + LATE_WAIT_MS;
  while (lateHooks.done < ticket && Date.now() < deadline) {
    usleep(1000); // releases the JS lock: lateTick runs meanwhile
  }
}

/* JS thread: search the loaders handed over; release their threads once the bridge applied
   the hooks (it does so on the next tick). */
function lateTick () {
  if (lateHooks.queue.length === 0) {
    return;
  }
  const batch = lateHooks.queue.splice(0);
  try {
    Java.performNow(() => {
      for (const [, loader] of batch) {
        searchLoader(loader, 'loader');
      }
    });
  } catch (e) {
    reportError('late:search', e);
  }
  const last = batch[batch.length - 1][0];
  Script.nextTick(() => {
    lateHooks.done = Math.max(lateHooks.done, last);
  });
}

function sweepLoaders (via) {
  if (lateHooks.classes.size === 0 || lateHooks.finished) {
    return;
  }
  const loaders = definingLoaders();
  lateHooks.lastSweep = Date.now();
  for (const l of loaders) {
    if (!SKIPPED_LOADERS.has(l.$className)) {
      searchLoader(l, via);
    }
  }
}

/*
 * The class loaders that defined a loaded class (performNow, JS thread). On HotSpot not the
 * bridge's enumerateClassLoaders: that is Java.choose, a JVMTI heap walk whose callbacks (JS)
 * run in the VM thread at a safepoint, so an app thread that takes the JS lock meanwhile and
 * then reaches the safepoint deadlocks the process (measured: a probe JVM hung in a
 * hook-heavy burst — gdb: the JS thread in the sweep's heap walk, the app's threads on the JS
 * lock and in GetStackTrace). JVMTI GetLoadedClasses (78) calls nothing back; each class's
 * loader is asked over JNI. A loader that has defined nothing yet holds no pending class
 * either (it is found by a later sweep, or by the loader hook). ART: the bridge's own
 * (VisitClassLoaders, on this thread).
 */
function definingLoaders () {
  const env = Java.api !== null && Java.api.flavor === 'jvm' ? jvmtiEnv() : null;
  if (env === null) {
    return Java.enumerateClassLoadersSync().map(l => Java.retain(l));
  }
  if (lateHooks.getLoadedClasses === undefined) {
    lateHooks.getLoadedClasses = jvmtiCall(env, 78, 'int', ['pointer', 'pointer', 'pointer']);
    lateHooks.deallocate = jvmtiCall(env, 47, 'int', ['pointer', 'pointer']);
  }
  const jni = Java.vm.getEnv();
  const classClass = jni.findClass('java/lang/Class');
  const getLoader = jni.getMethodId(classClass, 'getClassLoader', '()Ljava/lang/ClassLoader;');
  jni.deleteLocalRef(classClass);
  const callObject = jni.vaMethod('pointer', []);
  const count = Memory.alloc(4);
  const array = Memory.alloc(ps);
  if (lateHooks.getLoadedClasses(env, count, array) !== 0) {
    return Java.enumerateClassLoadersSync().map(l => Java.retain(l));
  }
  const n = count.readS32();
  const classes = array.readPointer();
  const refs = []; // global refs of distinct loaders
  try {
    for (let i = 0; i !== n; i++) {
      const klass = classes.add(i * ps).readPointer();
      const loader = callObject(jni.handle, klass, getLoader);
      jni.deleteLocalRef(klass);
      if (!jni.exceptionOccurred().isNull()) {
        jni.exceptionClear();
        continue;
      }
      if (loader.isNull()) {
        continue; // the boot loader's
      }
      if (!refs.some(r => jni.isSameObject(r, loader))) {
        refs.push(jni.newGlobalRef(loader));
      }
      jni.deleteLocalRef(loader);
    }
  } finally {
    lateHooks.deallocate(env, classes);
  }
  const ClassLoader = Java.use('java.lang.ClassLoader');
  return refs.map(r => {
    const wrapped = Java.cast(r, ClassLoader);
    const kept = Java.retain(wrapped);
    jni.deleteGlobalRef(r);
    return kept;
  });
}

/* The bridge's factory for `owner`. Its use() goes through loader.loadClass(), which cannot
   load array classes: the bridge asks it for "[Ljava/lang/String;" to convert a String[]
   argument, so a hooked String[] method threw ClassNotFoundException into the app (measured
   on the simulator). Arrays go to the default factory (the boot/system path) first. */
function loaderFactory (owner) {
  const f = Java.ClassFactory.get(owner);
  if (f.__consentHarnessArrays !== true) {
    const own = f.use.bind(f);
    f.use = function (name, options) {
      if (typeof name === 'string' && name.startsWith('[')) {
        try {
          return Java.use(name, options);
        } catch (e) { /* an array of the loader's own classes: not supported by the bridge */ }
      }
      return own(name, options);
    };
    f.__consentHarnessArrays = true;
  }
  return f;
}

function sameObject (list, obj) {
  return list.some(o => o.$isSameObject(obj));
}

/* JS thread (performNow): hook every pending class `loader` can load and no hooked copy of it
   is; report what went in as one hooks_ready marker. */
function searchLoader (loader, via) {
  if (sameObject(lateHooks.swept, loader)) {
    return;
  }
  lateHooks.swept.push(loader);
  const t0 = Date.now();
  const resolved = [];
  const late = [];
  const failed = [];
  const warnings = [];
  for (const [name, c] of lateHooks.classes) {
    let klass;
    try {
      klass = lateHooks.jclass.forName(name, false, loader); // loads, does not initialise
    } catch (e) {
      continue; // not in this loader
    }
    const def = klass.getClassLoader();
    if (def === null || sameObject(c.defs, def)) {
      continue; // on the boot path (seen at init), or this copy is hooked already
    }
    // a network point's pseudo-entry (`install`, see the network section) is no catalog id
    const ids = c.groups.flatMap(([, group]) => group).filter(entry => entry.install === undefined);
    const status = lateHooks.classStatus === null ? null : lateHooks.classStatus(klass.$h);
    // without JVMTI nobody knows whether code of the class ran: assume it did
    const ran = status === null || (status & CLASS_STATUS_INITIALIZED) !== 0;
    const owner = Java.retain(def);
    c.defs.push(owner);
    let wrapper;
    try {
      lateHooks.jclass.forName(name, true, loader); // initialised before any hook (see above)
      wrapper = loaderFactory(owner).use(name);
    } catch (e) {
      for (const entry of ids) {
        failed.push({ id: entry.id, category: entry.category, error: 'class unusable: ' + e.message });
      }
      continue;
    }
    const out = { hookedIds: new Set(), failures: new Map(), warnings };
    for (const [key, group] of c.groups) {
      if (group[0].install !== undefined) {
        group[0].install(wrapper);
        continue;
      }
      hookGroup(wrapper, key, group, out);
    }
    for (const entry of ids) {
      if (out.hookedIds.has(entry.id)) {
        state.installedIds.add(entry.id);
        if (ran) {
          lateHooks.lateIds.add(entry.id);
          late.push({ id: entry.id, category: entry.category, reason: 'class initialised before its hook: calls before this marker unseen' });
        } else {
          lateHooks.resolvedIds.add(entry.id);
          resolved.push(entry.id);
        }
      } else if (out.failures.has(entry.id)) {
        failed.push({ id: entry.id, category: entry.category, error: out.failures.get(entry.id) });
      }
    }
  }
  if (resolved.length + late.length + failed.length > 0) {
    push(makeMarker('hooks_ready', Object.assign(readyBase(), {
      phase: 'late',
      via,
      loader: String(loader.$className),
      installed: state.installedIds.size,
      resolved,
      late,
      failed,
      warnings,
      search_ms: Date.now() - t0
    })));
  }
}

/* The last word on the pending classes: those no loader had are absent. */
function finalHooksMarker (via) {
  if (lateHooks.classes.size === 0 || lateHooks.finished) {
    return null;
  }
  lateHooks.finished = true;
  for (const t of lateHooks.timers) {
    clearInterval(t);
    clearTimeout(t);
  }
  lateHooks.timers = [];
  lateHooks.done = lateHooks.ticket; // nobody waits any more
  const absent = [];
  for (const [, c] of lateHooks.classes) {
    if (c.defs.length === 0) {
      for (const [, group] of c.groups) {
        for (const entry of group) {
          if (entry.install === undefined) {
            absent.push(entry.id);
          }
        }
      }
    }
  }
  const summary = {
    absent,
    late: Array.from(lateHooks.lateIds),
    resolved: Array.from(lateHooks.resolvedIds),
    last_sweep: lateHooks.lastSweep
  };
  push(makeMarker('hooks_ready', Object.assign(readyBase(), {
    phase: 'final',
    via,
    installed: state.installedIds.size,
    absent,
    last_sweep: lateHooks.lastSweep
  })));
  return summary;
}

/* What every hooks_ready marker repeats (the scorer reads `network` from each one). */
function readyBase () {
  return Object.assign({}, state.readyBase);
}

/* ---------------------------------------------------------------- UI markers */

function makeMarker (kind, detail, tid, thread) {
  if (tid === undefined) {
    tid = Process.getCurrentThreadId();
    thread = currentThread(tid);
  }
  return { type: 'marker', kind, ts: Date.now(), tid, thread, detail };
}

function viewTexts (root) {
  const ViewGroup = Java.use('android.view.ViewGroup');
  const TextView = Java.use('android.widget.TextView');
  const texts = [];
  const todo = [root];
  let seen = 0;
  while (todo.length > 0 && seen < MAX_VIEW_NODES) {
    const v = todo.shift();
    if (v === null) {
      continue;
    }
    seen++;
    try {
      if (v.getVisibility() !== 0) {
        continue;
      }
    } catch (e) { /* no visibility: treat as visible */ }
    if (TextView.class.isInstance(v)) {
      const t = Java.cast(v, TextView).getText();
      if (t !== null) {
        const s = String(t.toString()).trim();
        if (s.length > 0) {
          texts.push(trunc(s));
        }
      }
    }
    if (ViewGroup.class.isInstance(v)) {
      const g = Java.cast(v, ViewGroup);
      const n = g.getChildCount();
      for (let i = 0; i !== n; i++) {
        todo.push(g.getChildAt(i));
      }
    }
  }
  return texts;
}

/* Texts of a window-like object (Dialog, PopupWindow): through the Android API when it
   has it (getWindow().getDecorView()), else through its View and CharSequence fields. */
function windowTexts (owner, viaApi) {
  try {
    const root = viaApi(owner);
    if (root !== null) {
      return viewTexts(root);
    }
  } catch (e) { /* no such API here: look at the fields */ }
  const View = Java.use('android.view.View');
  const CharSequence = Java.use('java.lang.CharSequence');
  const texts = [];
  const roots = [];
  let cls = owner.getClass();
  for (let level = 0; cls !== null && level < 4; level++) {
    for (const f of cls.getDeclaredFields()) {
      const type = f.getType();
      const isView = View.class.isAssignableFrom(type);
      if (!isView && !CharSequence.class.isAssignableFrom(type)) {
        continue;
      }
      try {
        f.setAccessible(true);
        const v = f.get(owner);
        if (v === null) {
          continue;
        }
        if (isView) {
          roots.push(Java.cast(v, View));
        } else {
          const t = String(Java.cast(v, CharSequence).toString()).trim();
          if (t.length > 0) {
            texts.push(trunc(t));
          }
        }
      } catch (e) { /* inaccessible field */ }
    }
    cls = cls.getSuperclass();
  }
  for (const r of roots) {
    for (const t of viewTexts(r)) {
      if (texts.indexOf(t) < 0) {
        texts.push(t);
      }
    }
  }
  return texts;
}

function viewDetail (view) {
  const detail = { class: view.$className };
  try {
    const TextView = Java.use('android.widget.TextView');
    if (TextView.class.isInstance(view)) {
      const t = Java.cast(view, TextView).getText();
      detail.text = t === null ? null : trunc(String(t.toString()));
    }
  } catch (e) { /* no text */ }
  try {
    const id = view.getId();
    if (id !== -1) {
      detail.id = id;
      try {
        detail.resource_id = String(view.getResources().getResourceName(id));
      } catch (e) { /* an id without a resource name */ }
    }
  } catch (e) { /* no id */ }
  return detail;
}

function tryHookAll (cls, method, body, hooked) {
  let wrapper;
  try {
    wrapper = Java.use(cls);
  } catch (e) {
    return false;
  }
  const m = wrapper[method];
  if (m === undefined || m.overloads === undefined) {
    return false;
  }
  for (const ov of m.overloads) {
    const source = 'ui:' + cls + '.' + method;
    ov.implementation = function () {
      return body.call(this, ov, arguments, source);
    };
  }
  hooked.push(cls + '.' + method);
  return true;
}

function emitSafely (source, fn) {
  try {
    const m = fn();
    if (m !== null) {
      push(m);
    }
  } catch (e) {
    reportError(source, e);
  }
}

function installUiHooks () {
  const hooked = [];
  tryHookAll('android.app.Dialog', 'show', function (ov, args, source) {
    const r = ov.apply(this, args);
    const dialog = this;
    emitSafely(source, () => {
      let texts = [];
      try {
        texts = windowTexts(dialog, d => d.getWindow().getDecorView());
      } catch (e) {
        reportError(source + ':texts', e);
      }
      return makeMarker('dialog_shown', { class: dialog.$className, window: 'dialog', texts });
    });
    return r;
  }, hooked);
  for (const method of ['showAtLocation', 'showAsDropDown']) {
    tryHookAll('android.widget.PopupWindow', method, function (ov, args, source) {
      const r = ov.apply(this, args);
      const popup = this;
      emitSafely(source, () => {
        let texts = [];
        try {
          texts = windowTexts(popup, p => p.getContentView());
        } catch (e) {
          reportError(source + ':texts', e);
        }
        return makeMarker('dialog_shown', { class: popup.$className, window: 'popup', texts });
      });
      return r;
    }, hooked);
  }
  tryHookAll('android.view.View', 'performClick', function (ov, args, source) {
    const view = this;
    // before the click runs, so that what the click triggers comes after the marker
    emitSafely(source, () => makeMarker('view_clicked', viewDetail(view)));
    return ov.apply(this, args);
  }, hooked);
  tryHookAll('android.app.Activity', 'onResume', function (ov, args, source) {
    const activity = this;
    emitSafely(source, () => makeMarker('activity_resumed', { activity: activity.$className }));
    return ov.apply(this, args);
  }, hooked);
  if (!state.hookedMethods.has('android.app.Activity.requestPermissions')) {
    tryHookAll('android.app.Activity', 'requestPermissions', function (ov, args, source) {
      emitSafely(source, () => makeMarker('permission_prompt', {
        api: 'android.app.Activity.requestPermissions',
        permissions: Array.prototype.map.call(args, summarize)
      }));
      return ov.apply(this, args);
    }, hooked);
  }
  return hooked;
}

/* ---------------------------------------------------------------- network */

/*
 * Where an app's bytes leave it (docs/internals.md "Data leaving the device"). Each write
 * is one `net` item: where to, how many bytes, the first NET_CAPTURE of them (base64) and
 * the stack. Matching them against collected values is the host's job. Three levels:
 *
 *  - HTTP clients (HTTP_POINTS): one `http` item per request written, with its URL (query
 *    values dropped) and the request's bytes as they went down (headers and body, in clear);
 *  - Java streams (NET_POINTS): java.net.Socket's, and TLS app data in clear;
 *  - the process's native exits (libc write/writev/send/sendto/sendmsg on a connected INET
 *    stream socket, SSL_write of a libssl the process loaded): NIO SocketChannel, native
 *    code (Flutter, Cronet, NDK SDKs).
 *
 * One event per bytes: a thread already inside a network hook is the same write going
 * down a level (HTTP → TLS → socket → libc: ciphertext, or the same bytes again), so only
 * the outermost is reported; an HTTP request collects what its thread writes below it.
 * The catalog's one-call-one-event guard is NOT consulted: a write made inside a sensitive
 * call is still data leaving.
 */
const NET_CAPTURE = 64 * 1024;
const NET_POINTS = [
  // JDK 13+ (the simulator's desktop JVM): every java.net.Socket stream
  { cls: 'java.net.Socket$SocketOutputStream', layer: 'socket', field: 'parent' },
  // Android (libcore) and older JDKs' PlainSocketImpl stream
  { cls: 'java.net.SocketOutputStream', layer: 'socket', field: 'socket' },
  // TLS, in clear: the JDK's own provider, and Android's Conscrypt
  { cls: 'sun.security.ssl.SSLSocketImpl$AppOutputStream', layer: 'tls', field: 'this$0' },
  { cls: 'com.android.org.conscrypt.ConscryptFileDescriptorSocket$SSLOutputStream', layer: 'tls', field: 'this$0' },
  { cls: 'com.android.org.conscrypt.ConscryptEngineSocket$SSLOutputStream', layer: 'tls', field: 'this$0' }
];

/* The request line's first word: "POST http://h/p HTTP/1.1" → POST. */
function firstWord (line) {
  const s = String(line === null || line === undefined ? '' : line);
  const sp = s.indexOf(' ');
  return sp > 0 ? s.slice(0, sp) : null;
}

/* HTTP clients. `describe(self, args)` → {url, method}; runs inside the hook (Java work on
   the app's thread, as the stream hooks do). All overloads of `method` are hooked; a nested
   one (an overload delegating to another) joins the outer request. */
const HTTP_POINTS = [
  // the JDK's HttpURLConnection (the simulator): every request, HTTPS too, is written here
  {
    cls: 'sun.net.www.http.HttpClient',
    method: 'writeRequests',
    // the request line is the MessageHeader's first key (with a null value)
    describe: (self, args) => ({ url: String(self.url.value.toString()), method: firstWord(args[0].getKey(0)) })
  },
  // Android's HttpURLConnection (OkHttp 2 inside the platform): the request goes out when
  // the response is read. Not exercised on the simulator (the class is absent there).
  {
    cls: 'com.android.okhttp.internal.http.HttpEngine',
    method: 'readResponse',
    framework: true,
    describe: (self) => {
      const req = self.userRequest.value;
      return { url: String(req.urlString()), method: String(req.method()) };
    }
  },
  // OkHttp 3/4: the last interceptor of the chain writes the request to the connection
  {
    cls: 'okhttp3.internal.http.CallServerInterceptor',
    method: 'intercept',
    describe: (self, args) => {
      const req = args[0].request();
      return { url: String(req.url().toString()), method: String(req.method()) };
    }
  }
];

const net = {
  inWrite: new Set(), // threads inside a network hook (Java or native)
  http: new Map(), // tid → the HTTP request being written on that thread
  urls: new Map(), // socket key → URL of the last request written on it
  preexisting: new Set(),
  Socket: null,
  SSLSocket: null,
  Base64: null,
  Arrays: null,
  native: null // see installNativeNetworkHooks
};

function socketKey (sock) {
  return sock.getLocalPort() + '>' + sock.getPort();
}

/* Sockets the process had before the agent came in were not opened by app code (it had not
   run yet: spawn leaves none; a debug-wait launch may find the platform's own channels). */
function notePreexistingSockets () {
  try {
    Java.choose('java.net.Socket', {
      onMatch (s) {
        try {
          if (s.isConnected()) {
            net.preexisting.add(socketKey(s));
          }
        } catch (e) { /* a half-built socket */ }
      },
      onComplete () {}
    });
  } catch (e) {
    log('warning', 'cannot list the sockets open before the hooks: ' + e.message);
  }
}

/* A URL as evidence: scheme, host, port and path; the query's names without their values
   (they are often the very identifiers), no user info, no fragment. */
function safeUrl (url) {
  if (url === null || url === undefined) {
    return null;
  }
  let u = String(url);
  const hash = u.indexOf('#');
  if (hash >= 0) {
    u = u.slice(0, hash);
  }
  const at = u.indexOf('@');
  const scheme = u.indexOf('://');
  if (at > scheme && scheme >= 0 && at < (u.indexOf('/', scheme + 3) >>> 0)) {
    u = u.slice(0, scheme + 3) + u.slice(at + 1);
  }
  const q = u.indexOf('?');
  if (q < 0) {
    return u.slice(0, 2048);
  }
  const names = u.slice(q + 1).split('&').filter(p => p.length > 0).map(p => p.split('=')[0] + '=');
  return (u.slice(0, q) + '?' + names.join('&')).slice(0, 2048);
}

/* The peer of a Java socket, or null when the write is not the app's traffic (TLS records
   of an SSLSocket at the socket level, a socket open before the hooks). */
function javaPeer (stream, point) {
  let sock = null;
  try {
    const f = stream[point.field];
    if (f !== undefined && f.value !== null) {
      sock = Java.cast(f.value, net.Socket);
    }
  } catch (e) { /* no socket to name: the item says so (host null) */ }
  const peer = { host: null, address: null, port: null, local_port: null, key: null };
  if (sock === null) {
    return peer;
  }
  if (point.layer === 'socket' && net.SSLSocket.class.isInstance(sock)) {
    return null; // TLS records of an SSLSocket: its app data is reported in clear above
  }
  peer.key = socketKey(sock);
  if (net.preexisting.has(peer.key)) {
    return null;
  }
  const addr = sock.getInetAddress();
  if (addr !== null) {
    // toString() is "name/address" without a reverse lookup (getHostName() may do one)
    const text = String(addr.toString());
    const slash = text.indexOf('/');
    peer.host = slash > 0 ? text.slice(0, slash) : null;
    peer.address = text.slice(slash + 1);
  }
  peer.port = sock.getPort();
  peer.local_port = sock.getLocalPort();
  return peer;
}

function javaPayload (b, off, len) {
  const n = Math.max(0, Math.min(len, NET_CAPTURE, b === null ? 0 : b.length - off));
  return n > 0 ? String(net.encode.call(net.Base64.getEncoder(), net.copyRange.call(net.Arrays, b, off, off + n))) : '';
}

function netItem (stream, point, b, off, len, tid) {
  const peer = javaPeer(stream, point);
  if (peer === null) {
    return null;
  }
  const item = {
    type: 'net',
    ts: Date.now(),
    tid,
    thread: currentThread(tid),
    hook: point.cls + '.write',
    layer: point.layer,
    host: peer.host,
    address: peer.address,
    port: peer.port,
    local_port: peer.local_port,
    size: len,
    payload: javaPayload(b, off, len),
    stack: state.stacks.capture()
  };
  // a body streamed after its request's headers: name the request it belongs to
  const url = peer.key === null ? undefined : net.urls.get(peer.key);
  if (url !== undefined) {
    item.url = url;
  }
  return item;
}

/* A stream write made while its thread writes an HTTP request: part of that request. */
function addToRequest (req, stream, point, b, off, len) {
  const peer = javaPeer(stream, point);
  if (peer === null) {
    return;
  }
  if (req.peer === null) {
    req.peer = peer;
    req.layer = point.layer;
  }
  req.size += len;
  const room = NET_CAPTURE - req.captured;
  const n = Math.max(0, Math.min(len, room, b === null ? 0 : b.length - off));
  if (n > 0) {
    net.baosWrite.call(req.buf, b, off, n);
    req.captured += n;
  }
}

function hookStream (point, wrapper, installed, failed, layers) {
  const source = 'net:' + point.cls;
  try {
    const ov = wrapper.write.overload('[B', 'int', 'int');
    ov.implementation = function (b, off, len) {
      const tid = Process.getCurrentThreadId();
      if (!state.initialised || net.inWrite.has(tid)) {
        return ov.call(this, b, off, len);
      }
      let item = null;
      net.inWrite.add(tid);
      try {
        try {
          const req = net.http.get(tid);
          if (req !== undefined) {
            addToRequest(req, this, point, b, off, len);
          } else {
            item = netItem(this, point, b, off, len, tid);
          }
        } catch (e) {
          reportError(source, e);
        }
        try {
          return ov.call(this, b, off, len);
        } catch (e) {
          if (item !== null) {
            item.threw = javaExceptionClass(e);
          }
          throw e;
        }
      } finally {
        net.inWrite.delete(tid);
        if (item !== null) {
          push(item);
        }
      }
    };
    installed.push(point.cls + '.write');
    layers.add(point.layer);
  } catch (e) {
    failed.push({ id: point.cls + '.write', error: String(e.message) });
  }
}

function httpItem (req, tid) {
  const peer = req.peer || { host: null, address: null, port: null, local_port: null, key: null };
  if (peer.key !== null) {
    if (net.urls.size >= 1024) {
      net.urls.clear();
    }
    net.urls.set(peer.key, req.url);
  }
  return {
    type: 'net',
    ts: req.ts,
    tid,
    thread: currentThread(tid),
    hook: req.hook,
    layer: 'http',
    host: peer.host,
    address: peer.address,
    port: peer.port,
    local_port: peer.local_port,
    size: req.size,
    payload: req.captured > 0 ? String(net.encode.call(net.Base64.getEncoder(), req.buf.toByteArray())) : '',
    url: req.url,
    method: req.method,
    secure: req.layer === 'tls',
    stack: state.stacks.capture()
  };
}

/* An HTTP client the app ships (OkHttp) is in the app's class loader, which does not exist
   at init: its point goes to the late hooks (a pseudo-entry whose `install` they call from
   the JS thread with the class's wrapper, before code of that loader ran) and is listed as
   `pending` until then. */
function hookHttp (point, installed, failed, absent, pending) {
  let wrapper;
  try {
    wrapper = Java.use(point.cls);
  } catch (e) {
    const id = point.cls + '.' + point.method;
    // Only where the late hooks run anyway (the catalog has classes an app ships: the
    // shipped catalog always does): a network point never arms the loader sweeps by itself
    // (a sweep's heap walk under a hook-heavy burst hung the JVM in a safepoint, measured).
    if (point.framework === true || isFrameworkClass(point.cls) || lateHooks.classes.size === 0) {
      absent.push(id);
      return false;
    }
    pending.push(id);
    lateHooks.addPending(point.cls, 'net:' + id, [{
      id: 'net:' + id,
      install (late) {
        const at = pending.indexOf(id);
        if (at >= 0) {
          pending.splice(at, 1);
        }
        if (installed.indexOf(id) < 0) {
          hookHttpMethod(point, late, installed, failed, absent);
        }
      }
    }]);
    return false;
  }
  return hookHttpMethod(point, wrapper, installed, failed, absent);
}

function hookHttpMethod (point, wrapper, installed, failed, absent) {
  const source = 'net:' + point.cls + '.' + point.method;
  try {
    const m = wrapper[point.method];
    if (m === undefined || m.overloads === undefined) {
      absent.push(point.cls + '.' + point.method);
      return false;
    }
    for (const ov of m.overloads) {
      ov.implementation = function () {
        const tid = Process.getCurrentThreadId();
        if (!state.initialised || net.inWrite.has(tid) || net.http.has(tid)) {
          return ov.apply(this, arguments);
        }
        const req = {
          hook: point.cls + '.' + point.method, ts: Date.now(), url: null, method: null,
          buf: null, size: 0, captured: 0, peer: null, layer: null
        };
        try {
          const d = point.describe(this, arguments);
          req.url = safeUrl(d.url);
          req.method = d.method;
        } catch (e) {
          reportError(source, e);
        }
        try {
          req.buf = net.Baos.$new();
        } catch (e) {
          reportError(source, e);
          return ov.apply(this, arguments);
        }
        net.http.set(tid, req);
        try {
          return ov.apply(this, arguments);
        } catch (e) {
          req.threw = javaExceptionClass(e);
          throw e;
        } finally {
          net.http.delete(tid);
          if (req.size > 0) {
            try {
              const item = httpItem(req, tid);
              if (req.threw !== undefined) {
                item.threw = req.threw;
              }
              push(item);
            } catch (e) {
              reportError(source, e);
            }
          }
        }
      };
    }
    installed.push(point.cls + '.' + point.method);
    return true;
  } catch (e) {
    failed.push({ id: point.cls + '.' + point.method, error: String(e.message) });
    return false;
  }
}

/*
 * Native exits. A C filter (CModule) runs on every write/writev/send/sendto/sendmsg of the
 * process and answers from a per-fd table whether the fd is a connected INET/INET6 stream
 * socket (getsockopt SO_TYPE + getpeername, once per fd; close() forgets it): files, pipes
 * and unix sockets return at once without taking the JS lock. Only a successful write on
 * such a socket calls into JS (net_report), which drops it when its thread is inside a
 * Java network hook or SSL_write (the same bytes one level down). Sockets connected before
 * the hooks (the device bridge) are marked at install and never reported.
 */
const NET_C = `
#include <gum/guminterceptor.h>
extern int getsockopt (int fd, int level, int name, void * val, unsigned int * len);
extern int getpeername (int fd, void * addr, unsigned int * len);
extern void net_report (int kind, int fd, void * buf, int n, unsigned int gen, int count);

#define NFD 65536
/* state: 0 unknown (or an unconnected socket: asked again), 1 not reported, 2 INET stream */
typedef struct { unsigned char state[NFD]; unsigned int gen[NFD]; } Table;
typedef struct { int kind; int pad; Table * t; } Hook;
typedef struct { int on; int fd; void * buf; int count; } Inv;

static int classify (int fd) {
  int type = 0;
  unsigned int len = sizeof (type);
  if (getsockopt (fd, 1 /* SOL_SOCKET */, 3 /* SO_TYPE */, &type, &len) != 0)
    return 1;
  if (type != 1 /* SOCK_STREAM */)
    return 1;
  unsigned char ss[128];
  len = sizeof (ss);
  if (getpeername (fd, ss, &len) != 0)
    return 0;
  unsigned short family = *(unsigned short *) ss;
  return (family == 2 || family == 10) ? 2 : 1;
}

int net_table_size (void) {
  return sizeof (Table);
}

int net_scan (Table * t, int max) {
  int n = 0;
  for (int fd = 0; fd < max && fd < NFD; fd++) {
    if (classify (fd) == 2) {
      t->state[fd] = 1;
      n++;
    }
  }
  return n;
}

void net_enter (GumInvocationContext * ic) {
  Inv * inv = GUM_IC_GET_INVOCATION_DATA (ic, Inv);
  inv->on = 0;
  Hook * h = GUM_IC_GET_FUNC_DATA (ic, Hook *);
  int fd = (int) (gsize) gum_invocation_context_get_nth_argument (ic, 0);
  if (fd < 0)
    return;
  int s;
  if (fd < NFD) {
    s = h->t->state[fd];
    if (s == 1)
      return;
    if (s == 0) {
      s = classify (fd);
      if (s != 0)
        h->t->state[fd] = s;
    }
  } else {
    s = classify (fd);
  }
  if (s != 2)
    return;
  inv->on = 1;
  inv->fd = fd;
  inv->buf = gum_invocation_context_get_nth_argument (ic, 1);
  inv->count = (int) (gsize) gum_invocation_context_get_nth_argument (ic, 2);
}

void net_leave (GumInvocationContext * ic) {
  Inv * inv = GUM_IC_GET_INVOCATION_DATA (ic, Inv);
  if (!inv->on)
    return;
  Hook * h = GUM_IC_GET_FUNC_DATA (ic, Hook *);
  long n = (long) (gssize) gum_invocation_context_get_return_value (ic);
  if (n <= 0)
    return;
  net_report (h->kind, inv->fd, inv->buf, n > 0x7fffffff ? 0x7fffffff : (int) n,
              inv->fd < NFD ? h->t->gen[inv->fd] : 0, inv->count);
}

void net_close (GumInvocationContext * ic) {
  Hook * h = GUM_IC_GET_FUNC_DATA (ic, Hook *);
  int fd = (int) (gsize) gum_invocation_context_get_nth_argument (ic, 0);
  if (fd >= 0 && fd < NFD) {
    h->t->state[fd] = 0;
    h->t->gen[fd]++;
  }
}
`;
// kind → libc function; buf is the data (1-3), an iovec array (4) or a msghdr (5)
const NATIVE_EXITS = [['write', 1], ['send', 2], ['sendto', 3], ['writev', 4], ['sendmsg', 5]];
const SSL_EXPORTS = ['SSL_write', 'SSL_write_ex'];
// TLS's own traffic (handshake, session tickets, alerts, key updates): a write made inside
// one of these is protocol bytes, not app data, and not reported (as the Java hooks skip
// an SSLSocket's records) — else a TLS 1.3 close_notify, an encrypted record, would read
// as app data the hooks could not see.
const SSL_PROTOCOL_EXPORTS = ['SSL_do_handshake', 'SSL_connect', 'SSL_accept', 'SSL_shutdown',
  'SSL_read', 'SSL_read_ex', 'SSL_peek'];
// the same for Conscrypt, whose BoringSSL is linked in and exports nothing: its Java natives
const SSL_PROTOCOL_JAVA = [
  { cls: 'com.android.org.conscrypt.NativeCrypto', methods: ['SSL_do_handshake', 'SSL_shutdown', 'SSL_read'] },
  { cls: 'org.conscrypt.NativeCrypto', methods: ['SSL_do_handshake', 'SSL_shutdown', 'SSL_read'] }
];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64 (bytes) {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += B64[v >> 18] + B64[v >> 12 & 63] + B64[v >> 6 & 63] + B64[v & 63];
  }
  if (i < n) {
    const v = bytes[i] << 16 | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out += B64[v >> 18] + B64[v >> 12 & 63] + (i + 1 < n ? B64[v >> 6 & 63] : '=') + '=';
  }
  return out;
}

/* The bytes of an iovec array, at most `limit`. */
function readIov (iov, count, limit) {
  const parts = [];
  let total = 0;
  for (let i = 0; i < count && total < limit; i++) {
    const base = iov.add(i * 2 * ps).readPointer();
    const len = Math.min(Number(iov.add(i * 2 * ps + ps).readULong()), limit - total);
    if (len > 0) {
      parts.push(new Uint8Array(base.readByteArray(len)));
      total += len;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/* {family, address, port} of a sockaddr (AF_INET / AF_INET6), or null. */
function sockaddr (p) {
  const family = p.readU16();
  const port = (p.add(2).readU8() << 8) | p.add(3).readU8();
  if (family === 2) {
    const a = new Uint8Array(p.add(4).readByteArray(4));
    return { address: Array.from(a).join('.'), port };
  }
  if (family === 10) {
    const a = new Uint8Array(p.add(8).readByteArray(16));
    const mapped = a.slice(0, 10).every(x => x === 0) && a[10] === 0xff && a[11] === 0xff;
    if (mapped) {
      return { address: Array.from(a.slice(12)).join('.'), port };
    }
    const groups = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push(((a[i] << 8) | a[i + 1]).toString(16));
    }
    return { address: groups.join(':'), port };
  }
  return null;
}

/* The peer of a socket fd; cached per (fd, generation): close() starts a new generation. */
function nativePeer (fd, gen) {
  const n = net.native;
  const key = gen === null ? null : fd + ':' + gen;
  let peer = key === null ? undefined : n.peers.get(key);
  if (peer !== undefined) {
    return peer;
  }
  peer = { address: null, port: null, local_port: null };
  n.len.writeU32(128);
  if (n.getpeername(fd, n.addr, n.len) === 0) {
    const a = sockaddr(n.addr);
    if (a !== null) {
      peer.address = a.address;
      peer.port = a.port;
    }
  }
  n.len.writeU32(128);
  if (n.getsockname(fd, n.addr, n.len) === 0) {
    const a = sockaddr(n.addr);
    if (a !== null) {
      peer.local_port = a.port;
    }
  }
  if (key !== null) {
    if (n.peers.size >= 4096) {
      n.peers.clear();
    }
    n.peers.set(key, peer);
  }
  return peer;
}

/* Java stack and thread name from a native hook: JVMTI only (it asks nothing of the bridge;
   a thread the VM does not know simply has no Java stack). */
function nativeStack () {
  if (state.stacks === null || state.stacks.strategy !== 'jvmti') {
    return null;
  }
  try {
    return state.stacks.capture();
  } catch (e) {
    return null; // a native thread not attached to the VM
  }
}

function nativeThread (tid) {
  let name = state.threadNames.get(tid);
  if (name !== undefined) {
    return name;
  }
  if (state.stacks === null || !state.stacks.threadName || state.stacks.strategy !== 'jvmti') {
    return null;
  }
  try {
    name = state.stacks.threadName();
  } catch (e) {
    name = null;
  }
  if (name !== null) {
    state.threadNames.set(tid, name);
  }
  return name;
}

function nativeItem (hook, layer, peer, size, bytes, tid) {
  return {
    type: 'net',
    ts: Date.now(),
    tid,
    thread: nativeThread(tid),
    hook,
    layer,
    host: null,
    address: peer.address,
    port: peer.port,
    local_port: peer.local_port,
    size,
    payload: base64(bytes),
    stack: nativeStack()
  };
}

function onNativeWrite (kind, fd, buf, size, gen, count) {
  const tid = Process.getCurrentThreadId();
  if (!state.initialised || state.disposed || net.inWrite.has(tid)) {
    return;
  }
  net.inWrite.add(tid);
  try {
    let bytes;
    const limit = Math.min(size, NET_CAPTURE);
    if (kind <= 3) {
      bytes = new Uint8Array(buf.readByteArray(limit));
    } else if (kind === 4) {
      bytes = readIov(buf, count, limit);
    } else { // msghdr: {name, namelen, iov, iovlen, …}
      bytes = readIov(buf.add(2 * ps).readPointer(), Number(buf.add(3 * ps).readULong()), limit);
    }
    push(nativeItem('libc.' + NATIVE_EXITS[kind - 1][0], 'socket', nativePeer(fd, gen), size, bytes, tid));
  } catch (e) {
    reportError('net:native', e);
  } finally {
    net.inWrite.delete(tid);
  }
}

/* SSL_write / SSL_write_ex of one module: TLS in clear below Java (Conscrypt's own calls
   come from inside its Java stream hook and are dropped; ciphertext under it is too). */
function hookSslWrite (module, name, address) {
  const n = net.native;
  const ex = name === 'SSL_write_ex';
  Interceptor.attach(address, {
    onEnter (args) {
      const tid = Process.getCurrentThreadId();
      this.on = state.initialised && !state.disposed && !net.inWrite.has(tid);
      if (!this.on) {
        return;
      }
      net.inWrite.add(tid);
      this.tid = tid;
      this.ssl = args[0];
      this.buf = args[1];
      this.written = ex ? args[3] : null;
    },
    onLeave (ret) {
      if (!this.on) {
        return;
      }
      const tid = this.tid;
      try {
        const r = ret.toInt32();
        const size = ex ? (r === 1 && !this.written.isNull() ? Number(this.written.readULong()) : 0) : r;
        if (size > 0) {
          let peer = { address: null, port: null, local_port: null };
          const getFd = n.sslGetFd.get(module);
          if (getFd !== undefined) {
            const fd = getFd(this.ssl);
            if (fd >= 0) {
              peer = nativePeer(fd, null); // the table's generations are for the C filter's fds
            }
          }
          const bytes = new Uint8Array(this.buf.readByteArray(Math.min(size, NET_CAPTURE)));
          push(nativeItem(module + '!' + name, 'tls', peer, size, bytes, tid));
        }
      } catch (e) {
        reportError('net:' + name, e);
      } finally {
        net.inWrite.delete(tid);
      }
    }
  });
}

/* A protocol call (SSL_PROTOCOL_*): its thread's writes meanwhile are not reported. */
function quietWhile (tid) {
  if (net.inWrite.has(tid)) {
    return false;
  }
  net.inWrite.add(tid);
  return true;
}

function hookSslProtocol (m) {
  for (const name of SSL_PROTOCOL_EXPORTS) {
    let address = null;
    try {
      address = m.findExportByName(name);
    } catch (e) { /* no export table */ }
    if (address === null || net.native.sslHooked.has(address.toString())) {
      continue;
    }
    net.native.sslHooked.add(address.toString());
    try {
      Interceptor.attach(address, {
        onEnter () {
          this.tid = Process.getCurrentThreadId();
          this.quiet = quietWhile(this.tid);
        },
        onLeave () {
          if (this.quiet) {
            net.inWrite.delete(this.tid);
          }
        }
      });
    } catch (e) {
      net.native.failed.push({ id: m.name + '!' + name, error: String(e.message) });
    }
  }
}

function hookSslProtocolJava (installed, absent) {
  for (const point of SSL_PROTOCOL_JAVA) {
    let wrapper;
    try {
      wrapper = Java.use(point.cls);
    } catch (e) {
      absent.push(point.cls);
      continue;
    }
    for (const method of point.methods) {
      const m = wrapper[method];
      if (m === undefined || m.overloads === undefined) {
        continue;
      }
      for (const ov of m.overloads) {
        ov.implementation = function () {
          const tid = Process.getCurrentThreadId();
          const quiet = quietWhile(tid);
          try {
            return ov.apply(this, arguments);
          } finally {
            if (quiet) {
              net.inWrite.delete(tid);
            }
          }
        };
      }
      installed.push(point.cls + '.' + method);
    }
  }
}

function hookSslModule (m) {
  const n = net.native;
  for (const name of SSL_EXPORTS) {
    let address = null;
    try {
      address = m.findExportByName(name);
    } catch (e) { /* a module without an export table */ }
    if (address === null || n.sslHooked.has(address.toString())) {
      continue;
    }
    try {
      hookSslProtocol(m);
      const getFd = m.findExportByName('SSL_get_fd');
      if (getFd !== null) {
        n.sslGetFd.set(m.name, new NativeFunction(getFd, 'int', ['pointer']));
      }
      hookSslWrite(m.name, name, address);
      n.sslHooked.add(address.toString());
      n.installed.push(m.name + '!' + name);
    } catch (e) {
      n.failed.push({ id: m.name + '!' + name, error: String(e.message) });
    }
  }
}

function installNativeNetworkHooks (installed, failed, absent, layers) {
  const g = name => Module.getGlobalExportByName(name);
  let cm;
  const n = {
    peers: new Map(), sslHooked: new Set(), sslGetFd: new Map(), modules: new Set(), installed, failed,
    addr: Memory.alloc(128), len: Memory.alloc(4), keep: [], preexisting: 0
  };
  try {
    n.getpeername = new NativeFunction(g('getpeername'), 'int', ['int', 'pointer', 'pointer']);
    n.getsockname = new NativeFunction(g('getsockname'), 'int', ['int', 'pointer', 'pointer']);
    n.report = new NativeCallback(onNativeWrite, 'void', ['int', 'int', 'pointer', 'int', 'uint', 'int']);
    cm = new CModule(NET_C, { getsockopt: g('getsockopt'), getpeername: g('getpeername'), net_report: n.report });
  } catch (e) {
    failed.push({ id: 'libc', error: String(e.message) });
    return;
  }
  net.native = n;
  n.cm = cm;
  const table = Memory.alloc(new NativeFunction(cm.net_table_size, 'int', [])());
  n.table = table;
  n.preexisting = new NativeFunction(cm.net_scan, 'int', ['pointer', 'int'])(table, 4096);
  const hookData = kind => {
    const h = Memory.alloc(16);
    h.writeS32(kind);
    h.add(8).writePointer(table);
    n.keep.push(h);
    return h;
  };
  for (const [name, kind] of NATIVE_EXITS) {
    const address = Module.findGlobalExportByName(name);
    if (address === null) {
      absent.push('libc.' + name);
      continue;
    }
    try {
      Interceptor.attach(address, { onEnter: cm.net_enter, onLeave: cm.net_leave }, hookData(kind));
      installed.push('libc.' + name);
      layers.add('socket');
    } catch (e) {
      failed.push({ id: 'libc.' + name, error: String(e.message) });
    }
  }
  try {
    Interceptor.attach(g('close'), { onEnter: cm.net_close }, hookData(0));
  } catch (e) {
    failed.push({ id: 'libc.close', error: String(e.message) });
  }
  for (const m of Process.enumerateModules()) {
    n.modules.add(m.path);
    hookSslModule(m);
  }
  if (!n.installed.some(id => id.endsWith('!SSL_write'))) {
    absent.push('SSL_write');
  }
  // A libssl loaded later (an SDK's native library) is hooked once dlopen() returned: not
  // from a module observer, whose callback runs inside the loader's lock and would wait for
  // the JS lock (held by a hooked thread that may itself need the loader lock: JNI linking).
  // Later hooks_ready markers report it through the shared `installed` list.
  for (const name of ['dlopen', 'android_dlopen_ext']) {
    const address = Module.findGlobalExportByName(name);
    if (address === null) {
      continue;
    }
    try {
      Interceptor.attach(address, {
        onLeave (ret) {
          if (ret.isNull() || state.disposed) {
            return;
          }
          try {
            for (const m of Process.enumerateModules()) {
              if (!n.modules.has(m.path)) {
                n.modules.add(m.path);
                hookSslModule(m);
              }
            }
          } catch (e) {
            reportError('net:dlopen', e);
          }
        }
      });
    } catch (e) {
      failed.push({ id: 'libc.' + name, error: String(e.message) });
    }
  }
}

function installNetworkHooks () {
  const installed = [];
  const failed = [];
  const absent = [];
  try {
    net.Socket = Java.use('java.net.Socket');
    net.SSLSocket = Java.use('javax.net.ssl.SSLSocket');
    net.Base64 = Java.use('java.util.Base64');
    net.Arrays = Java.use('java.util.Arrays');
    net.Baos = Java.use('java.io.ByteArrayOutputStream');
    // explicit overloads: resolving them for a byte[] argument fails in the bridge
    net.copyRange = net.Arrays.copyOfRange.overload('[B', 'int', 'int');
    net.encode = Java.use('java.util.Base64$Encoder').encodeToString.overload('[B');
    net.baosWrite = net.Baos.write.overload('[B', 'int', 'int');
  } catch (e) {
    return { installed, failed: [{ id: 'network', error: String(e.message) }], absent, layers: [], preexisting: 0 };
  }
  notePreexistingSockets();
  const layers = new Set();
  for (const point of NET_POINTS) {
    let wrapper;
    try {
      wrapper = Java.use(point.cls);
    } catch (e) {
      absent.push(point.cls);
      continue;
    }
    hookStream(point, wrapper, installed, failed, layers);
  }
  const pending = [];
  for (const point of HTTP_POINTS) {
    hookHttp(point, installed, failed, absent, pending);
  }
  if (state.config.native_network_hooks !== false) {
    installNativeNetworkHooks(installed, failed, absent, layers);
    hookSslProtocolJava(installed, absent);
  }
  return {
    installed,
    failed,
    absent,
    layers: Array.from(layers).sort(),
    pending, // HTTP clients looked for in the app's class loaders (moved to installed when hooked)
    preexisting: net.preexisting.size,
    // connected INET sockets the native hooks found at install (the same sockets as
    // `preexisting`, seen as fds, plus any native code's)
    preexisting_fds: net.native === null ? 0 : net.native.preexisting
  };
}

/* ---------------------------------------------------------------- death paths */

/*
 * The ways an app ends itself. Each hook flushes and waits for the host's ack *before*
 * calling the original: android.os.Process.killProcess(myPid()) is a SIGKILL (nothing of
 * ours runs after it), System.exit/Runtime.exit/halt tear the process down, and an
 * uncaught exception handed to the default handler usually ends in killProcess.
 */
function installDeathHooks () {
  const hooked = [];
  const announce = (via, detail) => {
    if (!state.initialised) {
      return;
    }
    try {
      finalHooksMarker(via); // no loader search here: Java work inside a hook hangs HotSpot
      flushBeforeDeath(via, detail);
    } catch (e) {
      reportError('death:' + via, e);
    }
  };
  tryHookAll('android.os.Process', 'killProcess', function (ov, args, source) {
    if (Number(args[0]) === state.pid) {
      announce('android.os.Process.killProcess', { pid: Number(args[0]) });
    }
    return ov.apply(this, args);
  }, hooked);
  for (const method of ['exit', 'halt']) {
    tryHookAll('java.lang.Runtime', method, function (ov, args, source) {
      announce('java.lang.Runtime.' + method, { status: Number(args[0]) });
      return ov.apply(this, args);
    }, hooked);
  }
  tryHookAll('java.lang.Thread', 'dispatchUncaughtException', function (ov, args, source) {
    let exception = null;
    try {
      exception = String(args[0].getClass().getName());
    } catch (e) { /* keep null */ }
    announce('uncaught', { thread: currentThread(Process.getCurrentThreadId()), exception });
    return ov.apply(this, args);
  }, hooked);
  return hooked;
}

/* ---------------------------------------------------------------- debug gate */

function releaseDebugWait () {
  const Debug = Java.use('android.os.Debug');
  Debug.isDebuggerConnected.implementation = function () {
    return true;
  };
}

/* ---------------------------------------------------------------- RPC */

function checkConfig (config) {
  if (config === null || typeof config !== 'object') {
    throw new Error('init(config): config must be an object');
  }
  if (config.protocol !== PROTOCOL) {
    throw new Error('protocol mismatch: this agent speaks protocol ' + PROTOCOL +
      ', the host speaks ' + config.protocol);
  }
  if (!Array.isArray(config.catalog)) {
    throw new Error('init(config): catalog must be a list of entries');
  }
}

function runtimeName () {
  if (Process.findModuleByName('libjvm.so') !== null) {
    return 'hotspot';
  }
  if (Process.findModuleByName('libart.so') !== null) {
    return 'art';
  }
  return 'unknown';
}

// set by prologue.js, which the host loads before the Java bridge
const daemonAttach = globalThis.__consentHarnessDaemonAttach === true;

rpc.exports = {
  init (config) {
    checkConfig(config);
    if (state.initialised) {
      throw new Error('init() was already called');
    }
    if (!Java.available) {
      throw new Error('no Java VM in this process');
    }
    state.config = config;
    state.batchMax = config.batch_max || 500;
    let result = null;
    const t0 = Date.now();
    Java.performNow(() => {
      state.stacks = makeStacks(config);
      const hooks = installCatalog(config.catalog, config.sdk_int);
      const ui = config.ui_markers === false ? [] : installUiHooks();
      const death = config.death_hooks === false ? [] : installDeathHooks();
      const network = config.network_hooks === false ? null : installNetworkHooks();
      const loaderHook = installLateHooks();
      if (config.release_debugger) {
        releaseDebugWait();
      }
      result = {
        protocol: PROTOCOL,
        runtime: runtimeName(),
        pid: state.pid,
        installed: hooks.installed,
        failed: hooks.failed,
        warnings: hooks.warnings,
        skipped: hooks.skipped,
        absent: hooks.absent,
        pending: hooks.pending,
        loader_hook: loaderHook,
        ui_hooks: ui,
        death_hooks: death,
        network,
        stack: state.stacks.strategy,
        daemon_attach: daemonAttach,
        clock: Date.now(),
        install_ms: 0
      };
    });
    result.install_ms = Date.now() - t0;
    for (const id of result.installed) {
      state.installedIds.add(id);
    }
    state.readyBase = { stack: result.stack, runtime: result.runtime, network: result.network };
    state.initialised = true;
    // seq 0: the hooks are in (the bridge applies them right after this RPC returns, in
    // the same step as the debug-gate release), so it precedes every call.
    push(makeMarker('hooks_ready', {
      installed: result.installed.length,
      failed: result.failed,
      skipped: result.skipped,
      absent: result.absent,
      pending: result.pending,
      stack: result.stack,
      runtime: result.runtime,
      network: result.network
    }));
    flush();
    state.timer = setInterval(flush, config.batch_ms || 50);
    return result;
  },
  flush () {
    return flush();
  },
  /* End of the run (before the app is stopped): search every loader once more, report the
     ids no loader had as absent (a hooks_ready marker, phase "final"), flush. */
  finish () {
    if (!state.initialised) {
      throw new Error('finish() before init()');
    }
    try {
      Java.performNow(() => sweepLoaders('finish'));
    } catch (e) {
      reportError('late:sweep', e);
    }
    const summary = finalHooksMarker('finish');
    flush();
    return summary;
  },
  ping () {
    return Date.now();
  },
  stats () {
    return { seq: state.seq, batches: state.batchSeq, pending: state.pending.length, threads: state.threadNames.size };
  },
  dispose () {
    if (state.disposed) {
      return;
    }
    state.disposed = true;
    if (state.timer !== null) {
      clearInterval(state.timer);
      state.timer = null;
    }
    for (const t of lateHooks.timers) {
      clearInterval(t);
    clearTimeout(t);
      clearTimeout(t);
    }
    lateHooks.timers = [];
    lateHooks.done = lateHooks.ticket; // a thread waiting in a loader constructor goes on
    flush();
  }
};
