"""Writes src/Plaza/Resources/Text.<culture>.resx from tools/<culture>.tsv (English key TAB translation).
English text is the key, so English needs no file; run after adding UI text: python3 tools/resx.py zh-Hans; --check only compares (test.sh)"""
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
path = f"src/Plaza/Resources/Text.{culture}.resx"
if check:
    # test.sh: the shipped resources are exactly what the translation table makes.
    if open(path, encoding="utf-8").read() != text:
        sys.exit(f"{path} does not match tools/{culture}.tsv; run: python3 tools/resx.py {culture}")
    print(f"{len(rows)} strings match")
else:
    open(path, "w", encoding="utf-8").write(text)
    print(f"{len(rows)} strings")
