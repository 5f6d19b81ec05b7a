# error: 2:1: module json is not available in the subset
import json

print(json.dumps({"a": 1}))
