#!/usr/bin/env python3
"""Builds a JSON Schema (draft-07) of one OCSF event class from the OCSF schema's own definitions.

    build-ocsf-schema.py OCSF_SCHEMA_CHECKOUT CLASS_NAME PROFILE[,PROFILE...] > out.schema.json

The ocsf/ocsf-schema repository publishes the schema as definitions (dictionary.json, objects/,
events/, profiles/), not as JSON Schema files; the OCSF server renders those. This script renders
them the same way for one class, with the given profiles applied:

- a class's attributes are its own, merged over those of the class it `extends` (recursively), with
  each `$include`d profile file's attributes merged in first; an attribute's definition in a class
  or object is merged over its definition in dictionary.json (enums merge key by key);
- attributes that belong to a profile (`"profile": name`, or included from profiles/<name>.json)
  exist only when that profile is applied; `"profile": null` makes an included attribute unconditional;
- `requirement: required` attributes are required; every object is closed (additionalProperties false)
  except the generic `object` type; `constraints.at_least_one` / `just_one` become anyOf / oneOf of
  required names;
- types follow dictionary.json's `types` (string_t, integer_t, long_t, float_t, boolean_t, json_t and
  the types derived from them with their regex, max_len and range); an enum becomes the list of its
  keys (numbers for integer attributes); an object type becomes a $ref to its definition;
- class_uid is category uid * 1000 + class uid, type_uid is class_uid * 100 + activity_id, as the
  OCSF specification defines them.
"""
import copy
import glob
import json
import os
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def merge(base, over):
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Ocsf:
    def __init__(self, root, profiles):
        self.root = root
        self.profiles = set(profiles)
        self.dictionary = load(os.path.join(root, "dictionary.json"))
        self.types = self.dictionary["types"]["attributes"]
        self.objects = {o["name"]: o for o in (load(p) for p in glob.glob(os.path.join(root, "objects", "*.json")))}
        self.classes = {}
        for path in glob.glob(os.path.join(root, "events", "**", "*.json"), recursive=True):
            event = load(path)
            if "name" in event:
                self.classes[event["name"]] = event
        self.categories = load(os.path.join(root, "categories.json"))["attributes"]

    def attributes(self, attributes):
        result = {}
        for include in attributes.get("$include", []):
            included = load(os.path.join(self.root, include))
            profile = included.get("name") if include.startswith("profiles/") else None
            for name, value in self.attributes(included.get("attributes", {})).items():
                value = dict(value)
                if profile is not None and "profile" not in value:
                    value["profile"] = profile
                result[name] = merge(result.get(name, {}), value)
        for name, value in attributes.items():
            if name != "$include":
                result[name] = merge(result.get(name, {}), value)
        return result

    def resolved(self, table, name):
        item = table[name]
        own = self.attributes(item.get("attributes", {}))
        constraints = item.get("constraints", {})
        if item.get("extends"):
            parent, parent_constraints = self.resolved(table, item["extends"])
            own = {k: merge(parent.get(k, {}), own.get(k, {})) for k in list(parent) + [k for k in own if k not in parent]}
            constraints = constraints or parent_constraints
        return own, constraints

    def applies(self, attribute):
        return attribute.get("profile") is None or attribute["profile"] in self.profiles

    def type_schema(self, type_name):
        chain = []
        while type_name in self.types:
            chain.append(self.types[type_name])
            type_name = self.types[type_name].get("type", type_name)
            if chain[-1].get("type") is None:
                break
        base = {"string_t": "string", "integer_t": "integer", "long_t": "integer", "float_t": "number", "boolean_t": "boolean"}
        root = next((n for n in base if n == type_name), None)
        schema = {} if type_name == "json_t" else {"type": base[root]} if root else {}
        for t in chain:
            if "regex" in t and "pattern" not in schema:
                schema["pattern"] = t["regex"]
            if "max_len" in t and "maxLength" not in schema:
                schema["maxLength"] = t["max_len"]
            if "range" in t and "minimum" not in schema:
                schema["minimum"], schema["maximum"] = t["range"]
        return schema

    def attribute_schema(self, name, definition, wanted):
        merged = merge(self.dictionary["attributes"].get(name, {}), definition)
        type_name = merged.get("type", "string_t")
        if type_name in self.types:
            schema = self.type_schema(type_name)
            if "enum" in merged:
                keys = list(merged["enum"].keys())
                schema["enum"] = [int(k) for k in keys] if schema.get("type") == "integer" else keys
        elif type_name == "object":
            schema = {"type": "object"}
        else:
            wanted.add(type_name)
            schema = {"$ref": f"#/definitions/{type_name}"}
        if merged.get("caption"):
            schema = {"title": merged["caption"], **schema} if "$ref" not in schema else {"title": merged["caption"], "allOf": [schema]}
        if merged.get("is_array"):
            schema = {"type": "array", "items": schema}
        return schema

    def shape(self, attributes, constraints, wanted):
        properties, required = {}, []
        for name, definition in sorted(attributes.items()):
            if not self.applies(definition):
                continue
            properties[name] = self.attribute_schema(name, definition, wanted)
            if definition.get("requirement") == "required":
                required.append(name)
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        names = [n for n in constraints.get("at_least_one", []) if n in properties]
        if names:
            schema["anyOf"] = [{"required": [n]} for n in names]
        names = [n for n in constraints.get("just_one", []) if n in properties]
        if names:
            schema["oneOf"] = [{"required": [n]} for n in names]
        return schema

    def class_schema(self, name, version):
        event = self.classes[name]
        attributes, constraints = self.resolved(self.classes, name)
        wanted = set()
        schema = self.shape(attributes, constraints, wanted)
        category = self.categories[event.get("category") or self.classes[event["extends"]]["category"]]
        class_uid = category["uid"] * 1000 + event["uid"]
        activities = [int(k) for k in merge(self.dictionary["attributes"]["activity_id"], attributes["activity_id"]).get("enum", {})]
        schema["properties"]["class_uid"] = {"type": "integer", "enum": [class_uid]}
        schema["properties"]["category_uid"] = {"type": "integer", "enum": [category["uid"]]}
        schema["properties"]["type_uid"] = {"type": "integer", "enum": sorted(class_uid * 100 + a for a in activities)}
        definitions, done = {}, set()
        while wanted - done:
            object_name = sorted(wanted - done)[0]
            done.add(object_name)
            object_attributes, object_constraints = self.resolved(self.objects, object_name)
            definitions[object_name] = self.shape(object_attributes, object_constraints, wanted)
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": f"https://schema.ocsf.io/{version}/classes/{name}",
            "title": f"OCSF {version} {event['caption']} (class_uid {class_uid}), profiles: {', '.join(sorted(self.profiles)) or 'none'}",
            "description": "Built by build-ocsf-schema.py from the OCSF schema definitions (github.com/ocsf/ocsf-schema).",
            **schema,
            "definitions": dict(sorted(definitions.items())),
        }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    root, class_name, profiles = sys.argv[1], sys.argv[2], [p for p in sys.argv[3].split(",") if p]
    version = load(os.path.join(root, "version.json"))["version"]
    json.dump(Ocsf(root, profiles).class_schema(class_name, version), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
