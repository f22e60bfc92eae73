"""Schemathesis hooks for the oagen demo servers.

oagen's type rules map an `integer` schema without a format to Rust's i64 (see
the README). JSON Schema puts no bound on such an integer, so Schemathesis also
generates integers beyond +-2**63 as valid data, which a server built from the
generated types must reject. Rather than excluding a whole check, generation is
restricted to the integers the documented type rule covers: every other case is
still generated and checked.
"""

import schemathesis

I64_MIN = -(2**63)
I64_MAX = 2**63 - 1


def _fits_i64(value):
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return I64_MIN <= value <= I64_MAX
    if isinstance(value, dict):
        return all(_fits_i64(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_fits_i64(v) for v in value)
    return True


@schemathesis.hook
def filter_body(context, body):
    return _fits_i64(body)
