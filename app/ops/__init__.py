"""Operations: limits, security headers, request ids, JSON logs, metrics, database faults.

`install(app)` wires all of it into an application once, as middleware and shared
exception handlers, so every route (present and future) is covered without opting in.
"""

from app.ops.install import install

__all__ = ["install"]
