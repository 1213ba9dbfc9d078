#!/usr/bin/env python3
"""lab/mk-shifted-vmlinux.py IN OUT SHIFT: a copy of a vmlinux that PVH loaders place SHIFT
bytes higher in physical memory.

QEMU's ELF loader (-kernel vmlinux) puts each PT_LOAD segment at its p_paddr and enters the
kernel at the address in the Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY (type 18).  The copy has
SHIFT added to exactly those: every PT_LOAD's p_paddr, and the 8-byte value of the one
"Xen" note of type 18.  Everything else is left as it is: p_vaddr (the kernel still runs
at its link-time virtual addresses), e_entry (startup_64's physical address, which PVH
loaders do not use), the PT_NOTE header, the PHYS32_RELOC note, the section headers.
SHIFT 0 gives a copy identical to IN.

Refused, with a message and exit status 1: anything but a little-endian ELF64 x86-64
executable; a vmlinux without exactly one Xen PHYS32_ENTRY note of 8 bytes inside a
PT_NOTE segment, or whose entry is not in a PT_LOAD's physical range; a SHIFT that is
negative or moves the image's end above 4 GiB (the PVH entry is 32-bit).

Afterwards it checks its own work with readelf (binutils), independently of its own
parser: `readelf -lW OUT` must show every PT_LOAD at p_paddr + SHIFT with p_vaddr
unchanged, `readelf -nW OUT` the new entry, and OUT may differ from IN only in the bytes
it meant to change.  SHIFT may be given in decimal or as 0x...  Prints one summary line
to stderr.  Python 3 standard library only.
"""
import os
import re
import struct
import subprocess
import sys

PT_LOAD, PT_NOTE = 1, 4
EM_X86_64 = 62
ET_EXEC = 2
XEN_ELFNOTE_PHYS32_ENTRY = 18
FOUR_GIB = 1 << 32


class Refused(Exception):
    pass


def program_headers(data):
    """The program headers of a little-endian ELF64 x86-64 executable, as dicts with the
    file offset ("at") of each header; refuses anything else."""
    if len(data) < 64 or data[:4] != b"\x7fELF":
        raise Refused("not an ELF file")
    if data[4] != 2:
        raise Refused("not ELF64 (EI_CLASS %d)" % data[4])
    if data[5] != 1:
        raise Refused("not little-endian (EI_DATA %d)" % data[5])
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_X86_64:
        raise Refused("not x86-64 (e_machine %d)" % e_machine)
    if e_type != ET_EXEC:
        raise Refused("not an executable (e_type %d); a vmlinux is ET_EXEC" % e_type)
    e_phoff, = struct.unpack_from("<Q", data, 32)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    if e_phentsize != 56 or e_phnum == 0 or e_phoff + e_phnum * 56 > len(data):
        raise Refused("unexpected program header table (%d entries of %d bytes at 0x%x)"
                      % (e_phnum, e_phentsize, e_phoff))
    phdrs = []
    for i in range(e_phnum):
        at = e_phoff + i * 56
        (p_type, _flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz,
         p_align) = struct.unpack_from("<IIQQQQQQ", data, at)
        phdrs.append(dict(at=at, type=p_type, offset=p_offset, vaddr=p_vaddr, paddr=p_paddr,
                          filesz=p_filesz, memsz=p_memsz, align=p_align))
    return phdrs


def phys32_entry_notes(data, phdrs):
    """(file offset of the descriptor, descriptor size) of every Xen note of type 18 in
    the PT_NOTE segments."""
    found = []
    for ph in phdrs:
        if ph["type"] != PT_NOTE:
            continue
        align = 8 if ph["align"] == 8 else 4
        pos, end = ph["offset"], ph["offset"] + ph["filesz"]
        if end > len(data):
            raise Refused("PT_NOTE segment at 0x%x runs past the end of the file" % pos)
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name_at = pos + 12
            desc_at = name_at + (namesz + align - 1) // align * align
            nxt = desc_at + (descsz + align - 1) // align * align
            if nxt > end:
                raise Refused("malformed note at file offset 0x%x" % pos)
            if data[name_at:name_at + namesz] == b"Xen\0" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                found.append((desc_at, descsz))
            pos = nxt
    return found


def shifted(data, shift):
    """(the shifted image, [(what, old, new)], the byte ranges changed)."""
    phdrs = program_headers(data)
    loads = [ph for ph in phdrs if ph["type"] == PT_LOAD]
    if not loads:
        raise Refused("no PT_LOAD segment")
    notes = phys32_entry_notes(data, phdrs)
    if len(notes) != 1:
        raise Refused("%d Xen PHYS32_ENTRY (type 18) notes in PT_NOTE segments, expected 1"
                      % len(notes))
    desc_at, descsz = notes[0]
    if descsz != 8:
        raise Refused("the Xen PHYS32_ENTRY note has %d bytes, expected 8" % descsz)
    entry, = struct.unpack_from("<Q", data, desc_at)
    if not any(ph["paddr"] <= entry < ph["paddr"] + ph["memsz"] for ph in loads):
        raise Refused("PHYS32_ENTRY 0x%x is in no PT_LOAD's physical range" % entry)
    end = max(ph["paddr"] + ph["memsz"] for ph in loads)
    if shift < 0:
        raise Refused("SHIFT %d is negative: the image would go below its link address" % shift)
    if end + shift > FOUR_GIB:
        raise Refused("SHIFT 0x%x would put the image's end (0x%x) above 4 GiB"
                      % (shift, end + shift))

    out = bytearray(data)
    changes, ranges = [], []
    for ph in loads:
        at = ph["at"] + 24                      # p_paddr
        struct.pack_into("<Q", out, at, ph["paddr"] + shift)
        changes.append(("PT_LOAD p_paddr", ph["paddr"], ph["paddr"] + shift))
        ranges.append((at, at + 8))
    struct.pack_into("<Q", out, desc_at, entry + shift)
    changes.append(("PHYS32_ENTRY", entry, entry + shift))
    ranges.append((desc_at, desc_at + 8))
    return bytes(out), changes, ranges


def readelf(*args):
    try:
        return subprocess.run(["readelf", *args], check=True, capture_output=True,
                              text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise Refused("readelf %s failed: %s" % (" ".join(args), e))


def readelf_loads(path):
    """[(p_vaddr, p_paddr)] of the PT_LOADs, as readelf -lW shows them."""
    return [(int(f[2], 16), int(f[3], 16)) for f in
            (line.split() for line in readelf("-lW", path).splitlines())
            if f and f[0] == "LOAD"]


def readelf_entry_note(path):
    """The value of the Xen note of type 0x12, as readelf -nW shows it (None if missing)."""
    for line in readelf("-nW", path).splitlines():
        m = re.match(r"\s+(\S+)\s+0x[0-9a-f]+\s+Unknown note type: \(0x([0-9a-f]+)\)"
                     r"\s+description data: ([0-9a-f ]+)$", line)
        if m and m.group(1) == "Xen" and int(m.group(2), 16) == XEN_ELFNOTE_PHYS32_ENTRY:
            return int.from_bytes(bytes.fromhex(m.group(3)), "little")
    return None


def verify(inp, out, data, new, shift, ranges):
    """Checks OUT with readelf against IN, and OUT's bytes against IN's."""
    before, after = readelf_loads(inp), readelf_loads(out)
    want = [(v, p + shift) for v, p in before]
    if not before or after != want:
        raise Refused("readelf -l of OUT shows PT_LOAD (vaddr, paddr) %s, expected %s"
                      % ([tuple(map(hex, x)) for x in after], [tuple(map(hex, x)) for x in want]))
    old_e, new_e = readelf_entry_note(inp), readelf_entry_note(out)
    if old_e is None or new_e != old_e + shift:
        raise Refused("readelf -n of OUT shows PHYS32_ENTRY %s, expected %s"
                      % (new_e if new_e is None else hex(new_e),
                         old_e if old_e is None else hex(old_e + shift)))
    with open(out, "rb") as f:
        written = f.read()
    if written != new:
        raise Refused("OUT is not what was meant to be written")
    # and nothing but the fields named in ranges differs from IN
    pos = 0
    for a, b in sorted(ranges) + [(len(data), len(data))]:
        if data[pos:a] != written[pos:a]:
            raise Refused("OUT differs from IN between file offsets 0x%x and 0x%x, which "
                          "were not meant to change" % (pos, a))
        pos = b


def main(argv):
    if len(argv) != 4:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    inp, out, shift_s = argv[1:]
    prog = os.path.basename(argv[0])
    try:
        try:
            shift = int(shift_s, 0)
        except ValueError:
            raise Refused("SHIFT %r is not a number" % shift_s)
        with open(inp, "rb") as f:
            data = f.read()
        new, changes, ranges = shifted(data, shift)
        tmp = out + ".tmp"
        with open(tmp, "wb") as f:
            f.write(new)
        os.chmod(tmp, os.stat(inp).st_mode & 0o777)
        try:
            verify(inp, tmp, data, new, shift, ranges)
        except BaseException:
            os.unlink(tmp)
            raise
        os.replace(tmp, out)
    except (Refused, OSError) as e:
        print("%s: error: %s: %s" % (prog, inp, e), file=sys.stderr)
        return 1
    print("%s: %s -> %s, shift 0x%x: %s (checked with readelf)" % (
        prog, inp, out, shift,
        ", ".join("%s 0x%x -> 0x%x" % c for c in changes)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
