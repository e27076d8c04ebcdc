"""Background jobs, ``read``/``wait``/``kill`` and ``screenrecord``, through real adbutils.

adbutils records the screen with a script (``screenrecord "$1" & PID=$!; read ANY;
kill -INT $PID; wait``) over a streamed ``shell:``; these tests drive the same steps and
check the MP4 that comes back: its boxes, its H.264 parameter sets, and that its frame
carries the same picture as ``screencap``.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path

import adbutils
import pytest

from harness.sim import SimCluster


@pytest.fixture
def device(cluster: SimCluster, serial: str) -> adbutils.AdbDevice:
    return cluster.client().device(serial)


# -- jobs ------------------------------------------------------------------------------
def test_background_job_runs_beside_the_shell(device: adbutils.AdbDevice) -> None:
    out = device.shell2("sleep 0.3 & echo started:$!; wait $!; echo status:$?", v2=True)
    started, status = out.stdout.splitlines()
    assert re.fullmatch(r"started:\d+", started) and status == "status:0"
    # `wait` with no pid waits for every job.
    assert device.shell2("sleep 0.2 & sleep 0.1 & wait; echo $? done",
                         v2=True).stdout == "0 done\n"


def test_jobs_print_while_the_shell_goes_on(device: adbutils.AdbDevice) -> None:
    out = device.shell2("echo job & echo main; wait", v2=True).stdout.splitlines()
    assert sorted(out) == ["job", "main"]
    # `wait` after the job's end still returns its status.
    assert device.shell2("sh -c 'exit 3' & P=$!; sleep 0.2; wait $P; echo $?",
                         v2=True).stdout == "3\n"


def test_kill_ends_a_job_with_the_signal_status(device: adbutils.AdbDevice) -> None:
    term = device.shell2("sleep 30 & P=$!; kill $P; wait $P; echo $?", v2=True)
    assert term.stdout == "143\n"
    interrupted = device.shell2("sleep 30 & P=$!; kill -INT $P; wait $P; echo $?", v2=True)
    assert interrupted.stdout == "130\n"
    assert device.shell2("sleep 30 & kill -s KILL $!; wait $!; echo $?",
                         v2=True).stdout == "137\n"


def test_kill_from_another_session(device: adbutils.AdbDevice) -> None:
    # kill(2) reaches any process of the shell user, whichever adb shell started it.
    stream = device.shell("sleep 30 & echo $!; wait $!; echo status:$?", stream=True)
    try:
        first = b""
        while not first.endswith(b"\n"):
            chunk = stream.conn.recv(64)
            assert chunk, "the session ended before printing the pid"
            first += chunk
        pid = first.decode().strip()
        assert pid.isdigit()
        assert device.shell2(["kill", "-9", pid]).returncode == 0
        assert "status:137" in stream.read_until_close()
    finally:
        stream.close()


def test_kill_of_what_is_not_the_shells(device: adbutils.AdbDevice) -> None:
    gone = device.shell2("kill 999999", v2=True)
    assert (gone.returncode, gone.stderr) == (1, "/system/bin/sh: kill: 999999: "
                                                 "No such process\n")
    init = device.shell2("kill -9 1", v2=True)  # init belongs to root
    assert init.returncode == 1 and "Operation not permitted" in init.stderr
    assert device.shell2("kill -BOGUS 1", v2=True).returncode == 1
    assert "INT" in device.shell2("kill -l").output.split()


def test_read_takes_one_line_of_stdin(device: adbutils.AdbDevice) -> None:
    device.shell("echo 'one two three' > /data/local/tmp/lines; "
                 "echo second >> /data/local/tmp/lines")
    out = device.shell2("read A B < /data/local/tmp/lines; echo \"$A|$B\"", v2=True)
    assert out.stdout == "one|two three\n"
    assert device.shell2("read X < /dev/null; echo $?", v2=True).stdout == "1\n"
    stream = device.shell("read LINE; echo got:$LINE", stream=True)
    try:
        stream.send(b"hello there\n")
        assert stream.read_until_close().splitlines()[-1] == "got:hello there"
    finally:
        stream.close()


# -- screenrecord ------------------------------------------------------------------------
def _boxes(data: bytes, start: int = 0, end: int | None = None) -> dict[bytes, bytes]:
    found, pos, end = {}, start, len(data) if end is None else end
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        assert size >= 8, f"bad box size at {pos}"
        found[kind] = data[pos + 8:pos + size]
        pos += size
    assert pos == end, "boxes do not fill their parent"
    return found


def _path(data: bytes, *kinds: bytes) -> bytes:
    for kind in kinds:
        body = data[4:] if kind in (b"stsd",) else data
        data = _boxes(body)[kind]
    return data


def _first_frame_luma(mp4: bytes) -> tuple[int, int, bytes]:
    """(width, height, Y plane cropped) of the first sample, read from the boxes and the
    I_PCM layout: every macroblock is a 2-byte header plus 384 samples."""
    top = _boxes(mp4)
    assert set(top) >= {b"ftyp", b"moov", b"mdat"}
    stbl = _path(top[b"moov"], b"trak", b"mdia", b"minf", b"stbl")
    tables = _boxes(stbl)
    avc1 = _boxes(tables[b"stsd"][8:])[b"avc1"]
    width, height = struct.unpack_from(">HH", avc1, 24)
    avcc = _boxes(avc1[78:])[b"avcC"]
    assert avcc[1] == 66  # Baseline: what every decoder plays
    first_size = struct.unpack_from(">I", tables[b"stsz"], 12)[0]
    first_offset = struct.unpack_from(">I", tables[b"stco"], 8)[0]
    sample = mp4[first_offset:first_offset + first_size]
    nal = sample[4:4 + struct.unpack_from(">I", sample)[0]]
    assert nal[0] & 0x1F == 5  # an IDR slice
    rbsp = re.sub(rb"\x00\x00\x03", b"\x00\x00", nal[1:])
    mbs_w, mbs_h = -(-width // 16), -(-height // 16)
    count = mbs_w * mbs_h
    header = len(rbsp) - 1 - count * 384 - (count - 1) * 2
    assert 0 < header < 16 and rbsp[-1] == 0x80
    plane = bytearray(mbs_w * 16 * mbs_h * 16)
    pos = header
    for mb in range(count):
        my, mx = divmod(mb, mbs_w)
        for r in range(16):
            at = (my * 16 + r) * mbs_w * 16 + mx * 16
            plane[at:at + 16] = rbsp[pos + r * 16:pos + r * 16 + 16]
        pos += 384 + 2
    stride = mbs_w * 16
    return width, height, b"".join(bytes(plane[y * stride:y * stride + width])
                                   for y in range(height))


def _screencap_luma(png: bytes) -> tuple[int, int, bytes]:
    width, height = struct.unpack_from(">II", png, 16)
    idat, pos = b"", 8
    while pos < len(png):
        size, kind = struct.unpack_from(">I4s", png, pos)
        idat += png[pos + 8:pos + 8 + size] if kind == b"IDAT" else b""
        pos += 12 + size
    raw = zlib.decompress(idat)
    luma = bytearray()
    for y in range(height):
        row = raw[y * (width * 3 + 1) + 1:(y + 1) * (width * 3 + 1)]
        luma += bytes(((66 * row[i] + 129 * row[i + 1] + 25 * row[i + 2] + 128) >> 8) + 16
                      for i in range(0, width * 3, 3))
    return width, height, bytes(luma)


def test_screenrecord_as_adbutils_runs_it(device: adbutils.AdbDevice, tmp_path: Path) -> None:
    remote = "/sdcard/rec-test.mp4"
    stream = device.shell(f"screenrecord {remote} & PID=$!; read ANY; kill -INT $PID; wait",
                          stream=True)
    try:
        time.sleep(0.6)  # a recording that lasts a while, not a condition being waited for
        stream.send(b"\n")
        stream.read_until_close()
    finally:
        stream.close()
    local = tmp_path / "rec.mp4"
    device.sync.pull(remote, str(local))
    mp4 = local.read_bytes()
    width, height, luma = _first_frame_luma(mp4)
    assert (str(width), str(height)) == tuple(device.shell("wm size").split()[-1].split("x"))
    shot_w, shot_h, shot = _screencap_luma(device.shell("screencap -p", encoding=None))
    assert (shot_w, shot_h) == (width, height)
    assert luma == shot  # the same picture, sample for sample
    mvhd = _boxes(_boxes(mp4)[b"moov"])[b"mvhd"]
    timescale, duration = struct.unpack_from(">II", mvhd, 12)
    assert duration / timescale >= 0.5  # it lasted until the SIGINT


def test_screenrecord_time_limit_and_errors(device: adbutils.AdbDevice) -> None:
    assert device.shell2(["which", "screenrecord"]).output == "/system/bin/screenrecord\n"
    done = device.shell2("screenrecord --time-limit 1 --size 360x640 /sdcard/small.mp4; "
                         "echo $?", v2=True)
    assert done.stdout == "0\n"
    assert device.shell2("ls -l /sdcard/small.mp4").returncode == 0
    nofile = device.shell2("screenrecord", v2=True)
    assert (nofile.returncode, nofile.stderr) == (2, "Must specify output file (see --help).\n")
    baddir = device.shell2("screenrecord /no/such/dir/x.mp4", v2=True)
    assert baddir.returncode == 1 and baddir.stderr.startswith("Unable to open '/no/such/dir")
    assert device.shell2("screenrecord --time-limit 500 /sdcard/x.mp4",
                         v2=True).returncode == 2
