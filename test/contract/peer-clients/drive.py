#!/usr/bin/python3
"""Glance clients nobody here wrote, driven one call at a time against one glance-api endpoint.

Run with Debian's /usr/bin/python3 (python3-glanceclient 4.1, and glance-api's glance-cache-manage, whose
main() runs here in-process: the same code as /usr/bin/glance-cache-manage without paying for its imports
on every call):

    OS_AUTH_TOKEN=... drive.py http://127.0.0.1:PORT

reads one call per line on stdin, e.g. {"client": "glanceclient", "call": "images.get", "args": [ID]} or
{"client": "cache-manage", "call": "list-cached", "args": []}, and answers each with one JSON line: the
call's outcome as its caller sees it (ok, the exception, or the exit status and first line of output),
never a response body: the recording proxy in front of the endpoint sees the wire. The token only ever
travels in the environment.
"""
import contextlib
import io
import json
import os
import re
import sys
from urllib.parse import urlsplit

import glanceclient
from glance.cmd import cache_manage


def glanceclient_call(endpoint, token, call, args):
    # A client per call, as a fresh process would have: each fetches what it needs (schemas, versions).
    client = glanceclient.Client('2', endpoint=endpoint, token=token)
    calls = {
        'images.list': lambda: list(client.images.list(filters={'name': args[0]})),
        'images.get': lambda: client.images.get(args[0]),
        'cache.list': lambda: client.cache.list(),
        'cache.queue': lambda: client.cache.queue(args[0]),
        'cache.delete': lambda: client.cache.delete(args[0]),
        'cache.clear': lambda: client.cache.clear(args[0]),
    }
    try:
        calls[call]()
    except Exception as error:  # the failure is the outcome being recorded
        return {'outcome': 'raised ' + type(error).__name__}
    return {'outcome': 'ok'}


def cache_manage_call(endpoint, command, args):
    url = urlsplit(endpoint)
    sys.argv = ['glance-cache-manage', '--host', url.hostname, '--port', str(url.port), '--force', command, *args]
    output = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            cache_manage.main()
        except SystemExit as done:
            if isinstance(done.code, str):
                # sys.exit("ERROR: ...") prints the message and exits 1.
                print(done.code)
                status = 1
            else:
                status = done.code or 0
    lines = output.getvalue().strip().splitlines()
    # The first line says which way it went; counts vary with the cache, so they are left out.
    first = re.sub(r'\d+', 'N', lines[0]) if lines else ''
    return {'outcome': 'exit %d' % status, 'says': first}


def main(argv):
    endpoint = argv[1]
    # glance-cache-manage reads its token from the environment; anything pointing it at Keystone
    # password auth (OS_AUTH_URL, OS_USERNAME...) must not be there.
    token = os.environ.get('OS_AUTH_TOKEN', '')
    for line in sys.stdin:
        request = json.loads(line)
        client, call, args = request['client'], request['call'], request.get('args', [])
        if client == 'glanceclient':
            result = glanceclient_call(endpoint, token, call, args)
        elif client == 'cache-manage':
            result = cache_manage_call(endpoint, call, args)
        else:
            result = {'outcome': 'drive.py: unknown client %r' % client}
        print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main(sys.argv)
