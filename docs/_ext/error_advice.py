"""What a client should do about each error, for the error reference.

The codes themselves are read from the source
(:mod:`dispatcher.docs_support.error_codes`); this says what to do about
them.  A code without an entry of its own is documented with the advice for
its HTTP status.
"""

#: Advice by HTTP status: applies to every code answered with it.
BY_STATUS = {
    500: 'A fault of the service itself. Quote the '
    '``request_id`` when reporting it; the log line with '
    'that id has the details.',
    400: 'Fix the request: ``field`` names the part at fault and '
    '``message`` says why. Retrying it unchanged fails again.',
    401: 'Send a valid token in ``X-Auth-Token``.',
    403: 'Use a token allowed to do this, or ask an operator.',
    404: 'Check the name or id in the URL; list the collection to '
    'see what exists.',
    405: 'Use one of the methods the reference lists for this path.',
    409: "Look at the resource's current state, then retry "
    'what is valid in it.',
    413: 'Send a smaller body (the limit is the '
    '``MAX_CONTENT_LENGTH`` setting).',
    415: 'Send the body as JSON with ``Content-Type: application/json``.',
    429: 'Wait the seconds in ``Retry-After``, then retry.',
    501: "The cloud's driver cannot do this: check the cloud's "
    '``capabilities`` (``GET /v1/clouds/<cloud>``) and use '
    'another cloud for it.',
    502: 'The provider failed. Retry later; if it persists, '
    'check the provider and the service log for the '
    '``request_id``.',
    503: 'The cloud cannot be reached or its farm entry is '
    'broken: ``GET /v1/clouds/<cloud>`` shows the '
    '``reason``. Retry later or fix the settings.',
    504: 'The provider did not answer in time; the operation may '
    'still happen. Check the resource before retrying; '
    "raise the cloud's ``TIMEOUT`` if the provider is "
    'slow.',
}

#: Advice by code, where it says more than the class's.
BY_CODE = {
    'invalid_field': 'Fix the field named in ``field`` (a body field, or a '
    'query parameter such as ``limit`` or ``marker``).',
    'invalid_json': 'The body is not valid JSON: check quoting and commas.',
    'invalid_body': 'The body could not be read (a malformed chunked '
    'encoding, a connection cut mid-body): send it again, whole.',
    'body_too_deep': 'The body nests deeper than any route needs (32 '
    'levels): send the object the reference describes.',
    'idempotency_key_in_use': 'The first request with this '
    '``Idempotency-Key`` is still being carried out: retry in a moment to '
    'get its answer.',
    'cloud_busy': 'Nothing was asked of the provider: every thread of the '
    'cloud was taken for its whole ``TIMEOUT``, or '
    '``REQUEST_CALLS_PER_CLOUD`` requests were already waiting on it (it '
    'answers slowly, or not at '
    'all). Retry after ``Retry-After``; if the cloud is only busy, raise '
    'its ``MAX_CONCURRENCY`` or ``REQUEST_CALLS_PER_CLOUD``.',
    'too_many_failures': 'Too many requests from this address failed to '
    'authenticate: fix the token, then retry after ``Retry-After``.',
    'audit_unavailable': 'Nothing was changed: the audit trail could not '
    'record the request. Retry later; the service log has the cause.',
    'provider_rejected': 'The provider refused the request as invalid; '
    '``message`` gives its reason.',
    'delete_not_done': 'A node of a stack: the provider accepted its '
    'destroy but still lists it after ``DELETE_CONFIRM_SECONDS``.  It is '
    '``delete_failed``; DELETE the stack again to retry, or look at the '
    'provider.',
    'cloud_circuit_open': 'The cloud failed again and again (no answer, '
    'or 5xx) and is not called for a while: ``details.last_error`` says '
    'why, ``details.next_probe_at`` when one call probes it again; '
    '``Retry-After`` is the wait.  ``GET /v1/clouds/<cloud>`` shows its '
    'health.',
    'cloud_not_found': 'No cloud of that name in the farm: '
    '``GET /v1/clouds`` lists them.',
    'node_not_found': 'No node with that id on that cloud (it may have been '
    'destroyed): ``GET /v1/clouds/<cloud>/nodes``.',
    'key_pair_not_found': 'No key pair of that name on that cloud.',
    'volume_not_found': 'No volume with that id on that cloud.',
    'provider_label_not_found': 'No provider label of that name: '
    '``GET /v1/providers`` lists them, plugins included.',
    'provider_not_found': 'The provider says the resource does not exist '
    '(any more).',
    'docs_not_built': 'Build the documentation: ``mw docs-build`` (any '
    'install), or ``./make_mw_docs.sh`` in the source tree, or set '
    '``DOCS_PATH``.',
    'invalid_state': "The action is not valid in the resource's state: a "
    "node's ``actions`` lists the valid ones. Wait for the "
    'state to change, then retry.',
    'provider_conflict': 'The provider refused: the request conflicts with '
    'what exists (e.g. a name already taken).',
    'cloud_auth_failed': "The cloud refused the farm's credentials: fix "
    '``USER``/``PASSWORD`` (or their ``_ENV``, '
    '``_FILE`` or ``MW_CLOUD_<NAME>_PASSWORD`` '
    "sources) of that cloud's farm entry. "
    '``GET /v1/clouds/<cloud>?check=true`` checks them.',
    'rate_limited': 'The provider throttles: wait the seconds in '
    '``Retry-After``, then retry.',
    'not_supported': "The cloud's driver cannot do this: its "
    '``capabilities`` list what it can.',
    'cloud_unavailable': 'Check ``GET /v1/clouds/<cloud>`` for the reason '
    '(unreachable, or a broken farm entry); retry later '
    'or fix the settings.',
    'database_unavailable': 'Retry after ``Retry-After`` seconds. '
    "Operators: the log names the database's failure (refused, lost, "
    'no free connection); see the deployment guide.',
    'cloud_timeout': 'Check the resource before retrying: the provider may '
    "still carry out the call. Raise the cloud's "
    '``TIMEOUT`` for a slow provider.',
    'unknown_parameter': 'Remove or correct the query parameter named in '
    '``field``: the message lists those the route '
    'takes.',
    'job_not_found': 'No job with that id: ``GET /v1/jobs`` lists them.',
    'stack_not_found': 'No stack with that id: ``GET /v1/stacks`` lists '
    'them (deleted ones with ``status=deleted``).',
    'token_not_found': 'No token with that id: ``GET /v1/tokens`` lists them.',
    'stack_exists': 'A stack of that name exists: choose another name, or '
    'delete that stack first.',
    'stack_busy': 'A job is already working on the stack: follow it '
    '(``job_id`` of the stack) and retry when it has ended.',
    'job_finished': 'The job has already ended; there is nothing to cancel.',
    'job_cancelled': 'The job was cancelled on request; see the stack for '
    'what it kept or rolled back.',
    'idempotency_key_reused': 'The ``Idempotency-Key`` was used for another '
    'request: use a new key for a new request.',
    'too_many_requests': "The token's rate limit is spent: wait the seconds "
    'in ``Retry-After``, then retry.',
    'node_failed': "A stack's node failed at the provider: the stack's "
    'events and the job say which one and why.',
    'node_vanished': "A stack's node disappeared at the provider: scale "
    'the stack or delete it.',
    'stack_delete_failed': "Some of the stack's nodes could not be "
    'destroyed: the job lists them; delete the stack '
    'again to retry.',
    'stack_timeout': "The stack's nodes were not all running within its "
    '``timeout``: see its events; raise ``timeout`` for '
    'slow clouds.',
    'payload_too_large': 'Send a smaller body.',
    'unsupported_media_type': 'Send JSON with '
    '``Content-Type: application/json``.',
}


def advice(code, status):
    """What to do about ``code`` answered with ``status``, or ``None``."""
    return BY_CODE.get(code) or BY_STATUS.get(status)
