"""moto's server with one request handled at a time.

moto applies a TransactWriteItems item by item and, when a condition fails, restores a
deep copy of the whole table taken when the transaction began. Its server is threaded and
takes no lock, so under concurrent requests a failing transaction can resurrect or erase
other requests' writes (seen as audit items of a refused alias move surviving). Real
DynamoDB transactions are serializable; handling one request at a time restores that
guarantee. Connections are still accepted concurrently, so keep-alive clients never wait
on each other's idle sockets, only on each other's requests.
usage: moto-serialized.py HOST PORT
"""

import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def serialized(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # Materialize the body inside the lock: moto builds it from shared state.
            return list(app(environ, start_response))

    return handle


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, serialized(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
