"""Ceilings: how fast one core can SHA-256 the input bytes and copy them in memory.

Timed in CPU seconds (process_time) so that a busy machine does not lower the ceiling.
"""

import hashlib
import json
import resource
import sys
import time


def main() -> None:
    path = sys.argv[1]
    with open(path, "rb") as f:
        data = f.read()
    mb = len(data) / 1e6
    started = time.process_time()
    hashlib.sha256(data).hexdigest()
    hash_seconds = time.process_time() - started
    started = time.process_time()
    copy = bytearray(data)
    copy_seconds = time.process_time() - started
    assert len(copy) == len(data)
    print(
        json.dumps(
            {
                "peer": "ceiling",
                "bytes": len(data),
                "sha256MBps": mb / hash_seconds,
                "copyMBps": mb / copy_seconds,
                "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
