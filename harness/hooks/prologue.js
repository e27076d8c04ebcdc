/*
 * consent-harness agent prologue: loaded BEFORE frida-tools' Java bridge.
 *
 * The bridge attaches the agent's JS thread to the JVM as a non-daemon thread, so a JVM
 * whose main() returns would never exit while the agent is loaded. Route that one
 * thread's AttachCurrentThread (JavaVM invoke-interface slot 4) to
 * AttachCurrentThreadAsDaemon (slot 7). It must be in place before the bridge first
 * reads the VM's function table, hence a prologue. Frida does not intercept its own
 * threads, so the table slot is patched rather than the function's code.
 */
'use strict';

(function () {
  const ps = Process.pointerSize;
  const jsTid = Process.getCurrentThreadId();
  globalThis.__consentHarnessDaemonAttach = false;
  try {
    if (Process.findModuleByName('libjvm.so') === null) {
      return;
    }
    const getVMs = Module.findGlobalExportByName('JNI_GetCreatedJavaVMs');
    if (getVMs === null) {
      return;
    }
    const fn = new NativeFunction(getVMs, 'int', ['pointer', 'int', 'pointer']);
    const vmBuf = Memory.alloc(ps);
    const countBuf = Memory.alloc(4);
    if (fn(vmBuf, 1, countBuf) !== 0 || countBuf.readS32() < 1) {
      return;
    }
    const table = vmBuf.readPointer().readPointer();
    const slot = table.add(4 * ps);
    const original = new NativeFunction(slot.readPointer(), 'int', ['pointer', 'pointer', 'pointer']);
    const attachDaemon = new NativeFunction(table.add(7 * ps).readPointer(), 'int', ['pointer', 'pointer', 'pointer']);
    const callback = new NativeCallback(function (vm, penv, args) {
      if (Process.getCurrentThreadId() === jsTid) {
        return attachDaemon(vm, penv, args);
      }
      return original(vm, penv, args);
    }, 'int', ['pointer', 'pointer', 'pointer']);
    globalThis.__consentHarnessAttachCallback = callback; // keep it alive
    Memory.protect(slot.and(ptr(Process.pageSize - 1).not()), Process.pageSize, 'rw-');
    slot.writePointer(callback);
    globalThis.__consentHarnessDaemonAttach = true;
  } catch (e) {
    globalThis.__consentHarnessDaemonAttachError = String(e);
  }
})();
