"""save/load of state dicts as .npz files: never pickle, written atomically."""
import os
import tempfile
import zipfile

import numpy as np

# A key no parameter name can take (names are dotted identifiers), marking our files.
_MARK = "__tinygrad_edu_state__"
_ZIP_MAGIC = b"PK\x03\x04"


def save(state_dict, path):
    """Write name → array (a state dict, or a Module's `state_dict()`) to `path`, an .npz file.

    The file is written beside its final name and renamed into place, so a crash mid-write
    leaves any old file intact; it gets the permissions any new file of the user gets (umask).
    """
    if hasattr(state_dict, "state_dict"):
        state_dict = state_dict.state_dict()
    if not hasattr(state_dict, "items"):
        raise TypeError(f"save: expected a state dict (name → array) or a Module, got {type(state_dict).__name__}")
    arrays = {}
    for name, value in state_dict.items():
        if not isinstance(name, str) or name == _MARK:
            raise ValueError(f"save: keys must be parameter names, got {name!r}")
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"save: {name!r} has dtype {array.dtype}; only numeric arrays are saved (never pickle)")
        arrays[name] = array
    arrays[_MARK] = np.array(1)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"save: cannot write {path}: the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())          # mkstemp makes it private (0600)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask():
    mask = os.umask(0)          # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def load(path):
    """Read a file written by `save` back into name → array; anything else is a ValueError naming the path."""
    path = os.fspath(path)
    with open(path, "rb") as file:                      # a missing file: FileNotFoundError naming it
        if file.read(4) != _ZIP_MAGIC:
            raise ValueError(f"load: {path} is not a tinygrad_edu checkpoint (not an .npz archive)")
        file.seek(0)
        try:
            with np.load(file, allow_pickle=False) as archive:
                state = {name: archive[name] for name in archive.files}
        except (ValueError, OSError, EOFError, zipfile.BadZipFile):
            raise ValueError(f"load: {path} is not a readable tinygrad_edu checkpoint (a damaged .npz archive, "
                             f"or one holding objects that are never loaded)") from None
    if _MARK not in state:
        raise ValueError(f"load: {path} was not written by tinygrad_edu.save (it has no tinygrad_edu marker)")
    del state[_MARK]
    return state
