"""An incremental Server-Sent Events decoder (bytes in, complete frames out).

Follows the HTML living standard's parsing rules: lines end with CRLF, LF or CR; ``:`` starts a
comment; one space after the field's colon is dropped; ``data`` lines are joined with ``\\n``; a
frame is dispatched on a blank line. A frame that is cut off before its blank line is never
dispatched, so a dropped connection can only lose whole frames, which the stream then resumes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

__all__ = ["SSEFrame", "SSEDecoder"]


@dataclass(frozen=True)
class SSEFrame:
    """One dispatched frame; ``id`` is this frame's own ``id:`` (``None`` when it had none)."""

    event: Optional[str]
    data: str
    id: Optional[str]
    retry: Optional[int]


class SSEDecoder:
    def __init__(self) -> None:
        self._buffer = b""
        self._data: List[str] = []
        self._event: Optional[str] = None
        self._id: Optional[str] = None
        self._retry: Optional[int] = None
        self._has_fields = False
        #: The text of the last comment line seen (e.g. ``heartbeat``).
        self.last_comment: Optional[str] = None

    def feed(self, chunk: bytes) -> List[SSEFrame]:
        """Adds bytes; returns the frames they complete, in order."""
        buf = self._buffer + chunk
        frames: List[SSEFrame] = []
        start = 0
        n = len(buf)
        while start < n:
            lf = buf.find(b"\n", start)
            cr = buf.find(b"\r", start)
            if lf < 0 and cr < 0:
                break
            if cr >= 0 and (lf < 0 or cr < lf):
                if cr + 1 == n:
                    break  # a CR at the end may be the first half of a CRLF: wait for more bytes
                end, nxt = cr, cr + 2 if buf[cr + 1 : cr + 2] == b"\n" else cr + 1
            else:
                end, nxt = lf, lf + 1
            frame = self._line(buf[start:end].decode("utf-8", "replace"))
            if frame is not None:
                frames.append(frame)
            start = nxt
        self._buffer = buf[start:]
        return frames

    def _line(self, line: str) -> Optional[SSEFrame]:
        if not line:
            if not self._has_fields:
                return None
            frame = None
            if self._data:
                frame = SSEFrame(self._event, "\n".join(self._data), self._id, self._retry)
            self._data, self._event, self._id, self._retry, self._has_fields = [], None, None, None, False
            return frame
        if line.startswith(":"):
            self.last_comment = line[1:].lstrip(" ")
            return None
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        self._has_fields = True
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry":
            if value.isdigit():
                self._retry = int(value)
        return None
