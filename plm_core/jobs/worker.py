"""A worker process: `python -m plm_core.jobs.worker`. Reads jobs from stdin, writes events to stdout.

Frames are length-prefixed pickles. The main thread runs one job at a time; a reader thread takes
"run" and "stop" messages at once, so a stop reaches the running job within one training step.
stdin closing (the server went away) ends the worker.
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

    def reader() -> None:
        while True:
            message = read_frame(inbox)
            if message is None or message.get("type") == "quit":
                jobs.put(None)
                return
            if message["type"] == "run":
                stops[message["id"]] = threading.Event()
                jobs.put(message)
            elif message["type"] == "stop" and message["id"] in stops:
                stops[message["id"]].set()

    threading.Thread(target=reader, daemon=True, name="plm-worker-reader").start()
    write_frame(out, {"type": "ready", "pid": os.getpid()}, lock)
    preload()
    while True:
        message = jobs.get()
        if message is None:
            return
        job_id = message["id"]
        write_frame(out, {"type": "started", "id": job_id}, lock)

        def sink(event: dict[str, Any], job_id: str = job_id) -> None:
            write_frame(out, {"type": "update", "id": job_id, **event}, lock)

        end = outcome(message["kind"], message["config"], sink, stops[job_id])
        try:
            write_frame(out, {"id": job_id, **end}, lock)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            from plm_core.jobs.model import JobError

            write_frame(out, {"id": job_id, "type": "error", "error": JobError.from_exception(err)}, lock)
        stops.pop(job_id, None)


if __name__ == "__main__":
    main()
