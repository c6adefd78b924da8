"""Mappings that cannot be changed once made, and pickle (a MappingProxyType does not): what
evaluations, evidence and results hold, so any of them crosses a process boundary."""

from __future__ import annotations

from collections.abc import Mapping


class FrozenDict(dict):
    """A dict that cannot be changed after it is made, and pickles."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("this cannot be changed once made")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __hash__(self):
        return hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))


def frozen(value):
    """Dicts → FrozenDict and lists → tuples, all the way down."""
    if isinstance(value, Mapping):
        return FrozenDict({k: frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value
