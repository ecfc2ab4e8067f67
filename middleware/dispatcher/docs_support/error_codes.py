"""Every error code the service can answer with, read from its source.

The error reference is generated from this, so it cannot drift: the codes
are the ``code`` class attributes of :mod:`dispatcher.errors` (and of any
subclass defined elsewhere in the package) plus every literal
``code='...'`` given where an error is raised (``errors.NotFound(...,
code='node_not_found')``), with the status of the class raised.
"""

import ast
import collections
import os

from dispatcher import errors

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ErrorCode = collections.namedtuple(
    'ErrorCode', 'code status error_class modules'
)


def error_classes():
    """``{name: class}`` of :class:`~dispatcher.errors.MiddlewareError` and
    every subclass defined in :mod:`dispatcher.errors`."""
    return {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, errors.MiddlewareError)
    }


def _name(node):
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _constant(node):
    if isinstance(node, ast.Constant):
        return node.value
    return None


def _module_name(path, root):
    relative = os.path.relpath(path, os.path.dirname(root))
    return relative[:-3].replace(os.sep, '.').replace('.__init__', '')


def _python_files(root):
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith(('.', '_')))
        for name in sorted(files):
            if name.endswith('.py'):
                yield os.path.join(folder, name)


def _class_attributes(node):
    return {
        t.id: _constant(stmt.value)
        for stmt in node.body
        if isinstance(stmt, ast.Assign)
        for t in stmt.targets
        if isinstance(t, ast.Name)
    }


def _error_subclasses(trees, statuses):
    """Add to ``statuses`` the error classes the package defines elsewhere."""
    changed = True
    while changed:
        changed = False
        for module, tree in trees:
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef) or node.name in statuses:
                    continue
                bases = [_name(b) for b in node.bases if _name(b) in statuses]
                if bases:
                    attrs = _class_attributes(node)
                    statuses[node.name] = (
                        attrs.get('status') or statuses[bases[0]]
                    )
                    changed = True


def _codes_in(module, tree, statuses, found):
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in statuses:
            code = _class_attributes(node).get('code')
            if isinstance(code, str):
                found[(code, statuses[node.name])].append((node.name, module))
        elif isinstance(node, ast.Call) and _name(node.func) in statuses:
            keywords = {k.arg: _constant(k.value) for k in node.keywords}
            code = keywords.get('code')
            if isinstance(code, str):
                name = _name(node.func)
                status = keywords.get('status') or statuses[name]
                found[(code, status)].append((name, module))


def catalogue(root=PACKAGE_ROOT):
    """Every :class:`ErrorCode`, sorted by status then code."""
    statuses = {name: c.status for name, c in error_classes().items()}
    found = collections.defaultdict(list)
    for name, error_class in error_classes().items():
        found[(error_class.code, error_class.status)].append(
            (name, error_class.__module__)
        )
    trees = []
    for path in _python_files(root):
        with open(path) as handle:
            trees.append(
                (_module_name(path, root), ast.parse(handle.read(), path))
            )
    _error_subclasses(trees, statuses)
    for module, tree in trees:
        _codes_in(module, tree, statuses, found)
    result = []
    for (code, status), places in found.items():
        class_names = sorted({name for name, _ in places})
        modules = sorted({module for _, module in places})
        result.append(ErrorCode(code, status, class_names[0], modules))
    return sorted(result, key=lambda e: (e.status, e.code))
