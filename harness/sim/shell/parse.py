"""Parse the compound command lines that adb and adbutils send.

Supported: ``;`` ``&&`` ``||`` ``|`` ``&`` (a background job) newlines, ``#`` comments,
single/double quotes, backslash escapes, ``$?``/``$!``/``$1``/``$@``/``$NAME`` expansion (at
run time), and the redirections
``> >> < 2> 2>&1 1>&2 >&2 &>``. Anything else is a :class:`ShellSyntaxError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ShellSyntaxError(Exception):
    """The line cannot be parsed; the shell prints it like sh does, exit status 2."""


@dataclass(frozen=True)
class Var:
    name: str


Part = str | Var


@dataclass
class Word:
    parts: list[Part] = field(default_factory=list)

    def expand(self, env: dict[str, str]) -> str:
        return "".join(p if isinstance(p, str) else env.get(p.name, "") for p in self.parts)


@dataclass
class Redirect:
    fd: int
    op: str  # ">", ">>", "<", ">&"
    target: Word | None = None
    dup: int | None = None


@dataclass
class Command:
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list[Command]


@dataclass
class Step:
    #: how this step joins the previous one: ";" (always), "&&" or "||"
    joiner: str
    pipeline: Pipeline
    #: ended by ``&``: runs as a job while the shell goes on (``$!`` is its pid)
    background: bool = False


@dataclass(frozen=True)
class _Op:
    op: str


_REDIR = re.compile(r"(\d?)(>>|>&|>|<&|<)")
_WORD_BREAK = set(" \t\n;&|<>")
_VAR = re.compile(r"[?$#!@*0-9]|[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _read_var(line: str, i: int, parts: list[Part]) -> int:
    """``line[i]`` is ``$``; append the variable (or a literal ``$``), return new index."""
    m = _VAR.match(line, i + 1)
    if not m:
        parts.append("$")
        return i + 1
    parts.append(Var(m.group(0).strip("{}")))
    return m.end()


def _read_word(line: str, i: int) -> tuple[Word, int]:
    parts: list[Part] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            parts.append("".join(buf))
            buf.clear()

    n = len(line)
    while i < n and line[i] not in _WORD_BREAK:
        c = line[i]
        if c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unmatched '")
            buf.append(line[i + 1:end])
            i = end + 1
        elif c == '"':
            i += 1
            while True:
                if i >= n:
                    raise ShellSyntaxError('unmatched "')
                c = line[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\" and i + 1 < n and line[i + 1] in '$`"\\\n':
                    buf.append(line[i + 1])
                    i += 2
                elif c == "$":
                    flush()
                    i = _read_var(line, i, parts)
                else:
                    buf.append(c)
                    i += 1
        elif c == "\\":
            if i + 1 < n:
                buf.append(line[i + 1])
            i += 2
        elif c == "$":
            flush()
            i = _read_var(line, i, parts)
        else:
            buf.append(c)
            i += 1
    flush()
    # An empty quoted string ('' or "") is still a word.
    return Word(parts or [""]), i


def tokenize(line: str) -> list[Word | Redirect | _Op]:
    tokens: list[Word | Redirect | _Op] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t\r":
            i += 1
        elif c == "#":
            end = line.find("\n", i)
            i = n if end < 0 else end
        elif c in ";\n":
            tokens.append(_Op(";"))
            i += 1
        elif line.startswith("&&", i) or line.startswith("||", i):
            tokens.append(_Op(line[i:i + 2]))
            i += 2
        elif line.startswith("&>", i):
            tokens.append(Redirect(1, ">"))
            tokens.append(Redirect(2, ">&", dup=1))
            i += 2
        elif c == "|":
            tokens.append(_Op("|"))
            i += 1
        elif c == "&":
            tokens.append(_Op("&"))
            i += 1
        else:
            m = _REDIR.match(line, i)
            if m:
                fd = int(m.group(1)) if m.group(1) else (0 if m.group(2)[0] == "<" else 1)
                op = m.group(2)
                i = m.end()
                if op in (">&", "<&"):
                    d = re.match(r"\s*(\d+|-)", line[i:])
                    if not d:
                        raise ShellSyntaxError(f"bad fd after {op}")
                    i += d.end()
                    dup = -1 if d.group(1) == "-" else int(d.group(1))
                    tokens.append(Redirect(fd, ">&", dup=dup))
                else:
                    tokens.append(Redirect(fd, op))
                continue
            word, i = _read_word(line, i)
            tokens.append(word)
    return tokens


def parse(line: str) -> list[Step]:
    """Parse a command line into steps of pipelines."""
    steps: list[Step] = []
    joiner = ";"
    commands: list[Command] = []
    current = Command()
    pending: Redirect | None = None

    def end_command() -> None:
        nonlocal current
        if pending is not None:
            raise ShellSyntaxError("missing redirection target")
        if not current.words and not current.redirects:
            raise ShellSyntaxError("syntax error: empty command")
        commands.append(current)
        current = Command()

    for tok in tokenize(line):
        if isinstance(tok, Word):
            if pending is not None:
                pending.target = tok
                current.redirects.append(pending)
                pending = None
            else:
                current.words.append(tok)
        elif isinstance(tok, Redirect):
            if pending is not None:
                raise ShellSyntaxError("missing redirection target")
            if tok.op == ">&":
                current.redirects.append(tok)
            else:
                pending = tok
        else:
            if tok.op == "|":
                end_command()
                continue
            if not current.words and not current.redirects and not commands:
                if tok.op == ";" and pending is None:
                    continue  # empty statement, e.g. a trailing ';' or blank line
                raise ShellSyntaxError(f"syntax error: unexpected '{tok.op}'")
            end_command()
            # `a && b &` backgrounds only `b` here (sh backgrounds the whole and-or list).
            steps.append(Step(joiner, Pipeline(commands), background=tok.op == "&"))
            commands = []
            joiner = ";" if tok.op == "&" else tok.op
    if current.words or current.redirects or pending is not None:
        end_command()
    elif commands:
        raise ShellSyntaxError("syntax error: unexpected end of line")
    if commands:
        steps.append(Step(joiner, Pipeline(commands)))
    elif joiner in ("&&", "||"):
        raise ShellSyntaxError("syntax error: unexpected end of line")
    return steps
