"""A worker process: `python -m plm_core.jobs.worker`. Reads jobs from stdin, writes events to stdout.

Frames are length-prefixed pickles. The main thread runs one job at a time; a reader thread takes
"run" and "stop" messages at once, so a stop reaches the running job within one training step.
stdin closing (the server went away, e.g. killed for a restart) stops the running job and ends the worker
quietly: no BrokenPipe traceback in the log, no process left behind (a job that ignores the stop is ended
after EXIT_GRACE_S). A "quit" message (the server shuts down) lets the running job finish first.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import sys
import threading
from typing import IO, Any

HEADER = struct.Struct("!I")
EXIT_GRACE_S = 5.0  # after the server went away, a job that has not stopped by then is ended with the process


def write_frame(stream: IO[bytes], message: Any, lock: threading.Lock) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    with lock:
        stream.write(HEADER.pack(len(data)) + data)
        stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next message, or None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - frames come from our own server process


def preload() -> None:
    """Import what every job needs while no job waits yet (a first job then starts in a second, not ten)."""
    if os.environ.get("PLM_LAB_WORKER_PRELOAD", "1") == "0":
        return
    import torch  # noqa: F401
    import transformers  # noqa: F401

    import plm_core.training  # noqa: F401
    import plm_core.transfer.api  # noqa: F401


def main() -> None:
    from plm_core.jobs.runner import outcome

    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr, never into the frames
    inbox = sys.stdin.buffer
    lock = threading.Lock()
    jobs: queue.Queue[Any] = queue.Queue()
    stops: dict[str, threading.Event] = {}

    def send(message: dict[str, Any]) -> None:
        try:
            write_frame(out, message, lock)
        except (BrokenPipeError, ConnectionError, OSError, ValueError):  # the server went away: end quietly
            os._exit(0)

    def server_gone() -> None:
        """stdin closed: stop every job and leave (the process ends even if a job ignores the stop)."""
        for stop in list(stops.values()):
            stop.set()
        jobs.put(None)
        timer = threading.Timer(EXIT_GRACE_S, os._exit, args=(0,))
        timer.daemon = True
        timer.start()

    def reader() -> None:
        while True:
            try:
                message = read_frame(inbox)
            except Exception:  # noqa: BLE001 - a garbled or broken stdin is a server gone
                message = None
            if message is None:
                server_gone()
                return
            if message.get("type") == "quit":
                jobs.put(None)
                continue
            if message["type"] == "run":
                stops[message["id"]] = threading.Event()
                jobs.put(message)
            elif message["type"] == "stop" and message["id"] in stops:
                stops[message["id"]].set()

    threading.Thread(target=reader, daemon=True, name="plm-worker-reader").start()
    send({"type": "ready", "pid": os.getpid()})
    preload()
    while True:
        message = jobs.get()
        if message is None:
            out.flush()
            os._exit(0)  # at once: an interpreter's exit could still trip over a closed pipe
        job_id = message["id"]
        send({"type": "started", "id": job_id})

        def sink(event: dict[str, Any], job_id: str = job_id) -> None:
            send({"type": "update", "id": job_id, **event})

        end = outcome(message["kind"], message["config"], sink, stops[job_id])
        try:
            write_frame(out, {"id": job_id, **end}, lock)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            from plm_core.jobs.model import JobError

            send({"id": job_id, "type": "error", "error": JobError.from_exception(err)})
        except (BrokenPipeError, ConnectionError, OSError, ValueError):
            os._exit(0)
        stops.pop(job_id, None)


if __name__ == "__main__":
    main()
