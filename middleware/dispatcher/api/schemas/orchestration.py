"""Jobs, stacks and their events."""

from marshmallow import Schema, fields, validate

from dispatcher.api.schemas.common import (
    PageQuery,
    answer_of,
    page_of,
    query_text,
    without_absent,
)
from dispatcher.services.jobs import JOB_STATES, STEP_STATES
from dispatcher.services.stack_records import STACK_STATES


def _time(description, nullable=True):
    return fields.String(
        required=True,
        allow_none=nullable,
        metadata={'description': description + ' (ISO 8601)'},
    )


def _text(description, nullable=False, **kwargs):
    return fields.String(
        required=True,
        allow_none=nullable,
        metadata={'description': description},
        **kwargs,
    )


def _document(description):
    return fields.Dict(
        required=True, allow_none=True, metadata={'description': description}
    )


class Progress(Schema):
    """Steps done of the steps planned."""

    done = fields.Integer(required=True)
    total = fields.Integer(required=True)


class Target(Schema):
    """What a job works on."""

    type = _text('``stack``, ...')
    id = _text('its id')


class JobStep(Schema):
    """One step of a job and its outcome (e.g. one node created)."""

    name = _text('the step')
    status = _text('its status')
    result = _document('what it made, when it succeeded')
    error = _document('why it failed, when it did')
    updated_at = _time('its last change', nullable=False)


class Job(Schema):
    """A long-running operation."""

    id = _text('its id')
    kind = _text('what it does: ``stack.create``, ``stack.scale``, ...')
    status = _text('where it is', validate=validate.OneOf(JOB_STATES))
    progress = fields.Nested(Progress, required=True)
    target = fields.Nested(Target, required=True, allow_none=True)
    result = _document('its outcome, once it succeeded')
    error = _document('why it failed, once it did')
    cancel_requested = fields.Boolean(required=True)
    attempts = fields.Integer(
        required=True,
        metadata={'description': 'how many times a worker started it'},
    )
    requested_by = _text('who asked')
    created_at = _time('when it was asked for', nullable=False)
    started_at = _time('when a worker first took it')
    updated_at = _time('its last change', nullable=False)
    finished_at = _time('when it ended')
    steps = fields.List(
        fields.Nested(JobStep),
        metadata={'description': 'its steps (in the answer about one job)'},
    )

    _optional = without_absent('steps')


class JobQuery(PageQuery):
    """Jobs filtered by status and kind."""

    status = fields.String(validate=validate.OneOf(JOB_STATES))
    kind = query_text(metadata={'description': 'only jobs of this kind'})


class JobStepQuery(PageQuery):
    """A job's steps filtered by status."""

    status = fields.String(
        validate=validate.OneOf(STEP_STATES),
        metadata={'description': 'only the steps in this status'},
    )


JobAnswer = answer_of(Job, 'job', 'JobAnswer', 'the job')
JobStepPage = page_of(
    JobStep, 'steps', 'JobStepPage', 'the steps, in the order they began'
)
JobPage = page_of(Job, 'jobs', 'JobPage', 'the jobs, newest first')


class StackGroup(Schema):
    """A group of a stack, as its template says."""

    name = _text('the group')
    clouds = fields.List(
        fields.String(),
        required=True,
        metadata={'description': 'the clouds its nodes are spread over'},
    )
    size = _text('size id (of every cloud without its own)', True)
    image = _text('image id (of every cloud without its own)', True)
    location = fields.String(allow_none=True)
    key_name = fields.String(allow_none=True)
    per_cloud = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={
            'description': 'cloud -> its own size, image, location or key pair'
        },
    )
    count = fields.Integer(required=True)


class StackNode(Schema):
    """A node the stack made, or is making."""

    id = _text("the stack's own id of the node")
    name = _text('its unique provider name')
    group = _text('its group')
    index = fields.Integer(required=True)
    cloud = _text('its cloud')
    provider_id = _text("the provider's id, once it gave one", True)
    state = _text(
        '``planned``, ``creating``, ``running``, ``failed``, '
        '``destroyed``, ``delete_failed`` (the provider still lists it '
        'after accepting its destroy), ...'
    )
    public_ips = fields.List(fields.String(), required=True)
    private_ips = fields.List(fields.String(), required=True)
    size = _text('size id', True)
    image = _text('image id', True)
    location = _text('location id', True)
    key_name = _text('key pair', True)
    error = _document('why it failed')
    created_at = _time('when it was planned', nullable=False)
    updated_at = _time('its last change', nullable=False)


class Stack(Schema):
    """A multi-cloud deployment."""

    id = _text('its id')
    name = _text('its unique name')
    status = _text('where it is', validate=validate.OneOf(STACK_STATES))
    on_failure = _text('``rollback`` or ``keep``')
    timeout = fields.Integer(
        required=True,
        metadata={'description': 'seconds its creation may take'},
    )
    groups = fields.List(fields.Nested(StackGroup), required=True)
    job_id = _text('its last job', True)
    error = _document('why it failed')
    requested_by = _text('who asked')
    created_at = _time('when it was asked for', nullable=False)
    updated_at = _time('its last change', nullable=False)
    deleted_at = _time('when it was deleted')
    node_counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={'description': 'nodes by state'},
    )
    nodes = fields.List(
        fields.Nested(StackNode),
        metadata={'description': 'every node (in the answer about one stack)'},
    )

    _optional = without_absent('nodes', 'node_counts')


class StackJobAnswer(Schema):
    """A stack and the job that changes it."""

    stack = fields.Nested(Stack, required=True)
    job = fields.Nested(Job, required=True)


class StackQuery(PageQuery):
    """Stacks filtered by status and name."""

    status = fields.String(validate=validate.OneOf(STACK_STATES))
    name = query_text(metadata={'description': 'only the stack of this name'})


StackAnswer = answer_of(Stack, 'stack', 'StackAnswer', 'the stack')
StackPage = page_of(Stack, 'stacks', 'StackPage', 'the stacks, newest first')


class StackEvent(Schema):
    """Something that happened to a stack."""

    id = _text('its sequence number')
    kind = _text('``stack.creating``, ``node.created``, ...')
    message = _text('for humans')
    node = _text('the node concerned', True)
    cloud = _text('the cloud concerned', True)
    details = _document('more')
    created_at = _time('when', nullable=False)


StackEventPage = page_of(
    StackEvent, 'events', 'StackEventPage', 'the events, oldest first'
)
