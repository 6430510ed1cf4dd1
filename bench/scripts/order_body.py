"""The bench's order from the demo menu (read on stdin): two espressos and a flat white in its regular
size, picked up as soon as possible, by a guest. Printed as the JSON body of POST …/orders."""
import json
import sys

menu = json.load(sys.stdin)
items = {i["name"]: i for c in menu["categories"] for i in c["items"]}
flat = items["Flat white"]
regular = next(o["id"] for g in flat["optionGroups"] if g["name"] == "Size" for o in g["options"] if o["name"] == "Regular")
print(json.dumps({"type": "pickup", "items": [{"itemId": items["Espresso"]["id"], "quantity": 2},
                                              {"itemId": flat["id"], "quantity": 1, "optionIds": [regular]}],
                  "customer": {"name": "Bench", "phone": "+49 30 1234567"}, "note": "wrk"}))
