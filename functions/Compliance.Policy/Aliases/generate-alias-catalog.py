#!/usr/bin/env python3
"""Builds the alias catalog that ships with Compliance.Policy (alias-catalog.tsv.gz).

Input: a checkout of https://github.com/jeircul/azure-policy-aliases (MIT licence), whose daily job
writes the output of Get-AzPolicyAlias as one Markdown table per resource type
(aliases/<Namespace>/<type-with-dashes>.md: "| `<default path>` | `<alias>` |").

Output: UTF-8 text, gzip-compressed, one line per alias, grouped by resource type:

    # source <repository>@<commit> <date>
    @<resource type>
    <alias>\t<default path>

Usage: generate-alias-catalog.py <checkout> <commit> <date> > alias-catalog.tsv   (then gzip -n -9)
   or: generate-alias-catalog.py --git <git dir> > alias-catalog.tsv             (reads HEAD of a bare clone)
"""
import os
import re
import subprocess
import sys
import tarfile
import io

ROW = re.compile(r"^\| `(.*)` \| `(.*)` \|$")


def tables_from_folder(root):
    for folder, _, files in os.walk(os.path.join(root, "aliases")):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
                    yield f.read()


def tables_from_git(git_dir):
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", "HEAD", "aliases"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".md"):
                yield tar.extractfile(member).read().decode("utf-8-sig")


def main(argv):
    if len(argv) == 3 and argv[1] == "--git":
        git_dir = argv[2]
        commit, date = subprocess.run(["git", "--git-dir", git_dir, "log", "-1", "--format=%H %cs"], check=True, capture_output=True, text=True).stdout.split()
        tables = tables_from_git(git_dir)
    elif len(argv) == 4:
        commit, date = argv[2], argv[3]
        tables = tables_from_folder(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2

    types = {}
    for text in tables:
        lines = text.splitlines()
        resource_type = lines[0][2:].strip()
        aliases = types.setdefault(resource_type, {})
        for line in lines[1:]:
            match = ROW.match(line)
            if match and match.group(2) != "Alias":
                path, alias = match.groups()
                aliases[alias] = path

    out = sys.stdout
    out.write(f"# source jeircul/azure-policy-aliases@{commit} {date}\n")
    for resource_type in sorted(types, key=str.lower):
        out.write(f"@{resource_type}\n")
        for alias in sorted(types[resource_type], key=str.lower):
            out.write(f"{alias}\t{types[resource_type][alias]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
