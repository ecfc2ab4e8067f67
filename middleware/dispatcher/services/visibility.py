"""Which stacks and jobs a caller limited to some clouds may see.

Work that spans clouds is visible only to a caller that may see every one
of them: a stack, when its template names only clouds of the caller; a
job, when it works on such a stack.  To anyone else they do not exist
(the same 404 as an unknown id), and lists leave them out.  ``clouds`` is
the caller's set of cloud names, ``None`` for a caller that sees every
cloud.
"""

from sqlalchemy import select

from dispatcher import errors
from dispatcher.services import keyset
from dispatcher.storage.models import Stack

#: Rows read at a time while a page of visible rows is gathered.
BATCH = 200


def stack_clouds(stack):
    """Every cloud the template of ``stack`` names."""
    names = set()
    for group in (stack.template or {}).get('groups') or []:
        names.update(group.get('clouds') or [])
        if group.get('cloud'):
            names.add(group['cloud'])
    return names


def stack_visible(stack, clouds):
    """Whether a caller seeing ``clouds`` may see ``stack``."""
    return clouds is None or stack_clouds(stack) <= set(clouds)


def visible_stacks(session, stacks, clouds):
    """The stacks of ``stacks`` a caller seeing ``clouds`` may see."""
    return [stack for stack in stacks if stack_visible(stack, clouds)]


def visible_jobs(session, jobs, clouds):
    """The jobs of ``jobs`` a caller seeing ``clouds`` may see: those of
    visible stacks (jobs of no stack only for a caller seeing all)."""
    if clouds is None:
        return list(jobs)
    targets = {job.target_id for job in jobs if job.target_type == 'stack'}
    stacks = (
        session.scalars(
            select(Stack).where(Stack.id.in_(sorted(targets)))
        ).all()
        if targets
        else []
    )
    shown = {stack.id for stack in stacks if stack_visible(stack, clouds)}
    return [
        job
        for job in jobs
        if job.target_type == 'stack' and job.target_id in shown
    ]


def require_visible(session, row, visible, clouds, not_found):
    """``row`` if ``visible(session, [row], clouds)`` keeps it; else
    ``not_found`` (the error an unknown id gives) is raised."""
    if clouds is not None and not visible(session, [row], clouds):
        raise not_found
    return row


def page(
    session,
    statement,
    model,
    limit,
    marker,
    visible,
    clouds,
    newest_first=True,
):
    """:func:`dispatcher.services.keyset.page` of the visible rows only.

    :param visible: ``visible(session, rows, clouds)``, e.g.
        :func:`visible_stacks`.
    :raises BadRequest: ``marker`` names no visible row.
    """
    if clouds is None:
        return keyset.page(
            session, statement, model, limit, marker, newest_first=newest_first
        )
    if marker not in (None, ''):
        row = session.scalar(select(model).where(model.id == str(marker)))
        if row is None or not visible(session, [row], clouds):
            raise errors.BadRequest(
                'marker %r matches no item' % marker,
                field='marker',
                code='invalid_field',
            )
    found, cursor = [], marker
    while len(found) <= limit:
        rows, cursor = keyset.page(
            session, statement, model, BATCH, cursor, newest_first=newest_first
        )
        found.extend(visible(session, rows, clouds))
        if cursor is None:
            break
    if len(found) > limit:
        return found[:limit], str(found[limit - 1].id)
    return found, None
