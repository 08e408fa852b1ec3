"""One subject's column of a structure-of-arrays block, indexable like the one-subject arrays models are written for.

The vectorised solver keeps a block of subjects as arrays ``X[..., s]`` (the subject index last, so a loop over
subjects reads consecutive memory and vectorises). ``lane(X, s, width)`` is subject ``s``'s slice ``X[..., s]`` as a
tiny value — a pointer, the shape and the strides, no reference count — that the models' one-subject functions
(``rhs(t, y, a, p, dydt)`` indexing ``y[i]``) and the marker functions (``ev[count]``, ``ws[k, j]``,
``ev.shape[0]``) take unchanged. A numpy view ``X[:, s]`` would do the same but costs an allocation-sized
reference-counting round trip per call and stops LLVM from vectorising the loop; a lane is free after inlining.
So every model equation stays written once, for one subject, and both kernels call it. Only valid while ``X``
lives (the solver's block arrays outlive every lane taken from them).
"""

from __future__ import annotations

import operator

from numba import types
from numba.core import cgutils, errors
from numba.extending import intrinsic, make_attribute_wrapper, models, overload, register_model


class LaneType(types.Type):
    """numba type of a lane: ``X[..., s]`` of a C-contiguous array X with ``ndim + 1`` dimensions."""

    def __init__(self, dtype, ndim: int):
        self.dtype = dtype
        self.ndim = ndim
        super().__init__(name=f"Lane({dtype}, {ndim}d)")


@register_model(LaneType)
class _LaneModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [("ptr", types.CPointer(fe_type.dtype)), ("shape", types.UniTuple(types.intp, fe_type.ndim)),
                   ("step", types.UniTuple(types.intp, fe_type.ndim))]
        super().__init__(dmm, fe_type, members)


make_attribute_wrapper(LaneType, "ptr", "ptr")
make_attribute_wrapper(LaneType, "shape", "shape")
make_attribute_wrapper(LaneType, "step", "step")


@intrinsic
def lane(typingctx, arr, s, width):
    """``arr[..., s]`` as a lane (arr C-contiguous, 2 or 3 dimensions, its last axis ``width`` long).

    ``width`` must be a compile-time constant (e.g. a module-level int): the lane's strides are then constants,
    which lets LLVM prove where a loop over lanes reads and writes — with strides known only at run time it needs a
    run-time overlap check per accessed element and gives up vectorising a right-hand side as large as the
    system model's."""
    if not (isinstance(arr, types.Array) and arr.layout == "C" and arr.ndim in (2, 3)
            and isinstance(s, types.Integer)):
        return None
    if not isinstance(width, types.IntegerLiteral):
        raise errors.RequireLiteralValue("lane width must be a compile-time constant")
    ty = LaneType(arr.dtype, arr.ndim - 1)
    sig = ty(arr, s, width)
    w = width.literal_value

    def codegen(context, builder, signature, args):
        a = context.make_array(signature.args[0])(context, builder, args[0])
        shape = cgutils.unpack_tuple(builder, a.shape)
        idx = context.cast(builder, args[1], signature.args[1], types.intp)
        out = cgutils.create_struct_proxy(ty)(context, builder)
        out.ptr = builder.gep(a.data, [idx])
        out.shape = context.make_tuple(builder, types.UniTuple(types.intp, ty.ndim), shape[:-1])
        steps = []
        acc = context.get_constant(types.intp, w)
        for d in range(ty.ndim - 1, -1, -1):  # element strides of the leading axes, last axis first
            steps.insert(0, acc)
            acc = builder.mul(acc, shape[d])
        out.step = context.make_tuple(builder, types.UniTuple(types.intp, ty.ndim), steps)
        return out._getvalue()

    return sig, codegen


@overload(operator.getitem)
def _getitem(ln, idx):
    if isinstance(ln, LaneType) and ln.ndim == 1 and isinstance(idx, types.Integer):
        return lambda ln, idx: ln.ptr[idx * ln.step[0]]
    if isinstance(ln, LaneType) and ln.ndim == 2 and isinstance(idx, types.BaseTuple) and len(idx) == 2:
        return lambda ln, idx: ln.ptr[idx[0] * ln.step[0] + idx[1] * ln.step[1]]
    return None


@overload(operator.setitem)
def _setitem(ln, idx, v):
    if isinstance(ln, LaneType) and ln.ndim == 1 and isinstance(idx, types.Integer):
        def impl1(ln, idx, v):
            ln.ptr[idx * ln.step[0]] = v

        return impl1
    if isinstance(ln, LaneType) and ln.ndim == 2 and isinstance(idx, types.BaseTuple) and len(idx) == 2:
        def impl2(ln, idx, v):
            ln.ptr[idx[0] * ln.step[0] + idx[1] * ln.step[1]] = v

        return impl2
    return None
