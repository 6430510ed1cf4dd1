"""Writes src/Plaza/Resources/Text.<culture>.resx from tools/<culture>.tsv (English key TAB translation).
English text is the key, so English needs no file; run after adding UI text: python3 tools/resx.py zh-Hans.
--check (test.sh) writes nothing: the shipped resources must be what the table makes, and every English key the
code names (T["…"] and text["…"] in pages and page models, Text.Say("…") and Text.Key("…") in code) must have a
translation."""
import os
import re
import sys
from xml.sax.saxutils import escape

args = [a for a in sys.argv[1:] if a != "--check"]
check = "--check" in sys.argv[1:]
culture = args[0] if args else "zh-Hans"
rows = [line.rstrip("\n").replace("\\n", "\n").split("\t") for line in open(f"tools/{culture}.tsv", encoding="utf-8") if "\t" in line]
out = ['<?xml version="1.0" encoding="utf-8"?>', "<root>",
       '  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>',
       '  <resheader name="version"><value>2.0</value></resheader>',
       '  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>',
       '  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>']
for key, value in sorted(rows):
    out.append(f'  <data name="{escape(key, {chr(34): "&quot;", chr(10): "&#10;"})}" xml:space="preserve"><value>{escape(value)}</value></data>')
out.append("</root>")
text = "\n".join(out) + "\n"
# A .resx name is looked up without regard to case: two keys that differ only in case would be one.
folded = {}
for key, *_ in rows:
    if key.lower() in folded and folded[key.lower()] != key:
        sys.exit(f"tools/{culture}.tsv has '{folded[key.lower()]}' and '{key}', which differ only in case; resources would keep one")
    folded[key.lower()] = key
path = f"src/Plaza/Resources/Text.{culture}.resx"
if check:
    # test.sh: the shipped resources are exactly what the translation table makes.
    if open(path, encoding="utf-8").read() != text:
        sys.exit(f"{path} does not match tools/{culture}.tsv; run: python3 tools/resx.py {culture}")
    print(f"{len(rows)} strings match")
    # Every key the code names, as a C# string literal: the first argument of T[…], text[…], Text.Say(…), Text.Key(…).
    literal = r'"((?:[^"\\\n]|\\.)*)"'
    named = re.compile(r'(?:\b(?:T|text)\[\s*|\bText\.(?:Say|Key)\(\s*)' + literal)
    unescape = {"n": "\n", '"': '"', "\\": "\\", "t": "\t"}
    translated = {key for key, *_ in rows}
    missing = {}
    for folder, _, files in os.walk("src/Plaza"):
        if os.sep + "Migrations" in folder or os.sep + "obj" in folder or os.sep + "bin" in folder:
            continue
        for name in files:
            if not name.endswith((".cs", ".cshtml")):
                continue
            path = os.path.join(folder, name)
            for match in named.finditer(open(path, encoding="utf-8").read()):
                key = re.sub(r"\\(.)", lambda m: unescape.get(m.group(1), m.group(1)), match.group(1))
                if key not in translated:
                    missing.setdefault(key, path)
    if missing:
        for key, path in sorted(missing.items()):
            print(f"{path}: no {culture} translation for: {key!r}", file=sys.stderr)
        sys.exit(f"{len(missing)} English keys have no {culture} translation; add them to tools/{culture}.tsv and run: python3 tools/resx.py {culture}")
    print(f"every English key the code names is translated")
else:
    open(path, "w", encoding="utf-8").write(text)
    print(f"{len(rows)} strings")
