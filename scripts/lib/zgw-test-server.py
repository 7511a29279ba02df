#!/usr/bin/env python3
"""A local ZGW test server: the Catalogi, Zaken and Documenten APIs in memory, for the tests.

Every request is validated against VNG's published OpenAPI specifications (server/zgw/) and
refused as they refuse it (400 with the standard's error body, 403 without a valid JWT-ZGW);
every answer it gives is validated against them too, so the fake cannot drift from the
contract. It keeps only what Keukentafel uses: the catalogue is seeded (one zaaktype with five
statustypen, an initiator roltype, an informatieobjecttype), zaken, rollen, statussen,
zaakinformatieobjecten and enkelvoudiginformatieobjecten are created and listed.

For the tests: `POST /_test/fail` makes the next call(s) of an operation fail, `before` (the
call is refused with the status) or `after` (the object is made, then the answer is lost);
`POST /_test/heal` ends the failures; `GET /_test/state` shows what was made; `POST
/_test/reset` empties it.

Usage: zgw-test-server.py --specs DIR --client-id ID --secret SECRET [--port 0]
Prints `listening on http://127.0.0.1:PORT` once it serves.
"""

import argparse
import logging
import base64
import json
import threading
import uuid
from datetime import date, datetime, timezone

import jwt
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

APIS = {
    "catalogi": "catalogi-1.3.0.yaml",
    "zaken": "zaken-1.5.1.yaml",
    "documenten": "documenten-1.5.0.yaml",
}
RSIN = "002220647"
ZAAKTYPE_ID = "WMO-MELDING"
STATUSES = [
    "Melding ontvangen",
    "Gesprek gevoerd",
    "Verslag overhandigd",
    "Aanvraag ontvangen",
    "Besluit genomen",
]


def now():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def elfproef(number):
    if len(number) != 9 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1)))
    return (total - int(number[8])) % 11 == 0


class Refusal(Exception):
    def __init__(self, status, code, detail, name="nonFieldErrors"):
        super().__init__(detail)
        self.status, self.code, self.detail, self.name = status, code, detail, name


class Store:
    def __init__(self, base):
        self.base = base
        self.lock = threading.Lock()
        self.reset()

    def url(self, api, resource, ident):
        return f"{self.base}/{api}/api/v1/{resource}/{ident}"

    def reset(self):
        self.zaken, self.rollen, self.statussen = {}, {}, {}
        self.zios, self.eios = {}, {}
        self.failures = []
        self.requests = []
        self.seed_catalogue()

    def seed_catalogue(self):
        cat = self.url("catalogi", "catalogussen", "6d2a9e0a-1b0c-4c8e-9b1e-000000000001")
        zt_uuid = "6d2a9e0a-1b0c-4c8e-9b1e-000000000002"
        zt = self.url("catalogi", "zaaktypen", zt_uuid)
        self.catalogus = cat
        self.statustypen = []
        for n, name in enumerate(STATUSES, start=1):
            url = self.url("catalogi", "statustypen", f"6d2a9e0a-1b0c-4c8e-9b1e-0000000001{n:02}")
            self.statustypen.append({
                "url": url, "omschrijving": name, "omschrijvingGeneriek": "",
                "statustekst": "", "zaaktype": zt, "zaaktypeIdentificatie": ZAAKTYPE_ID,
                "catalogus": cat, "volgnummer": n, "isEindstatus": n == len(STATUSES),
                "informeren": False, "checklistitemStatustype": [],
            })
        self.roltype = {
            "url": self.url("catalogi", "roltypen", "6d2a9e0a-1b0c-4c8e-9b1e-000000000201"),
            "zaaktype": zt, "zaaktypeIdentificatie": ZAAKTYPE_ID, "catalogus": cat,
            "omschrijving": "Inwoner", "omschrijvingGeneriek": "initiator",
        }
        self.iotype = {
            "url": self.url("catalogi", "informatieobjecttypen", "6d2a9e0a-1b0c-4c8e-9b1e-000000000301"),
            "catalogus": cat, "omschrijving": "Gespreksverslag",
            "vertrouwelijkheidaanduiding": "vertrouwelijk", "beginGeldigheid": "2026-01-01",
            "concept": False, "zaaktypen": [zt], "besluittypen": [],
            "informatieobjectcategorie": "verslag", "trefwoord": [],
        }
        self.zaaktype = {
            "url": zt, "identificatie": ZAAKTYPE_ID, "omschrijving": "Wmo-melding",
            "vertrouwelijkheidaanduiding": "vertrouwelijk", "doel": "Ondersteuning (Wmo 2015)",
            "aanleiding": "Melding van een inwoner", "indicatieInternOfExtern": "extern",
            "handelingInitiator": "Melden", "onderwerp": "Wmo", "handelingBehandelaar": "Onderzoeken",
            "doorlooptijd": "P56D", "opschortingEnAanhoudingMogelijk": True,
            "verlengingMogelijk": False, "publicatieIndicatie": False,
            "productenOfDiensten": [], "referentieproces": {"naam": "Wmo"},
            "verantwoordelijke": RSIN, "catalogus": cat, "statustypen": [s["url"] for s in self.statustypen],
            "resultaattypen": [], "eigenschappen": [], "informatieobjecttypen": [self.iotype["url"]],
            "roltypen": [self.roltype["url"]], "besluittypen": [], "deelzaaktypen": [],
            "gerelateerdeZaaktypen": [], "beginGeldigheid": "2026-01-01", "versiedatum": "2026-01-01",
            "concept": False, "zaakobjecttypen": [],
        }

    def take_failure(self, operation):
        for f in self.failures:
            if f["operation"] == operation and f["times"] > 0:
                f["times"] -= 1
                return f
        return None


def paginated(results):
    return {"count": len(results), "next": None, "previous": None, "results": results}


def refuse_unless(condition, code, detail, name="nonFieldErrors"):
    if not condition:
        raise Refusal(400, code, detail, name)


class App:
    def __init__(self, specs_dir, client_id, secret):
        self.client_id, self.secret = client_id, secret
        self.specs = {}
        self.specs_dir = specs_dir
        self.store = None

    def bind(self, base):
        self.store = Store(base)
        for api, file in APIS.items():
            with open(f"{self.specs_dir}/{file}") as f:
                spec = yaml.load(f, Loader=yaml.CSafeLoader)
            spec["servers"] = [{"url": f"{base}/{api}/api/v1"}]
            self.specs[api] = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request):
        parts = request.path.strip("/").split("/")
        if parts[0] == "_test":
            return self.test_control(request, parts[1:])
        if len(parts) < 4 or parts[0] not in APIS or parts[1:3] != ["api", "v1"]:
            return error(404, "not-found", "Onbekend pad")
        api = parts[0]
        try:
            self.check_token(request)
        except Refusal as r:
            return error(r.status, r.code, r.detail)
        openapi = self.specs[api]
        result = openapi.unmarshal_request(WerkzeugOpenAPIRequest(request))
        if result.errors:
            return validation_error(result.errors)
        operation = f"{request.method} {'/'.join(parts[3:])}"
        with self.store.lock:
            self.store.requests.append(operation)
            resource = parts[3]
            failure = self.store.take_failure(f"{request.method} {resource}")
            if failure and failure["mode"] == "before":
                return error(failure["status"], "test-failure", "Gesimuleerde storing")
            try:
                status, body = self.route(api, request, parts[3:])
            except Refusal as r:
                return error(r.status, r.code, r.detail, r.name)
            if failure:
                return error(failure["status"], "test-failure", "Antwoord verloren")
        headers = {"Content-Type": "application/json"}
        if api == "zaken" and resource == "zaken":
            headers["Content-Crs"] = "EPSG:4326"
        response = Response(json.dumps(body), status=status, headers=headers)
        checked = openapi.unmarshal_response(
            WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response)
        )
        if checked.errors:
            # The fake's own answer breaks the contract: a bug in this file, not in the client.
            return error(500, "fake-invalid-response", "; ".join(describe(e) for e in checked.errors))
        return response

    def check_token(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Refusal(403, "not_authenticated", "Geen JWT-ZGW in Authorization")
        try:
            claims = jwt.decode(header[7:], self.secret, algorithms=["HS256"],
                                options={"require": ["iss", "iat", "client_id"]})
        except jwt.PyJWTError as e:
            raise Refusal(403, "not_authenticated", f"Ongeldige JWT: {e}")
        if claims.get("client_id") != self.client_id:
            raise Refusal(403, "permission_denied", "Onbekende client_id")

    def route(self, api, request, path):
        s = self.store
        q = request.args
        body = request.get_json(silent=True) if request.method == "POST" else None
        resource = path[0]
        if api == "catalogi" and request.method == "GET":
            if resource == "zaaktypen" and len(path) == 1:
                hits = [z for z in [s.zaaktype]
                        if q.get("catalogus", z["catalogus"]) == z["catalogus"]
                        and q.get("identificatie", z["identificatie"]) == z["identificatie"]]
                return 200, paginated(hits)
            if resource == "statustypen":
                hits = [t for t in s.statustypen if q.get("zaaktype", t["zaaktype"]) == t["zaaktype"]]
                return 200, paginated(hits)
            if resource == "roltypen":
                t = s.roltype
                ok = q.get("zaaktype", t["zaaktype"]) == t["zaaktype"] and \
                    q.get("omschrijvingGeneriek", "initiator") == "initiator"
                return 200, paginated([t] if ok else [])
            if resource == "informatieobjecttypen":
                t = s.iotype
                ok = q.get("catalogus", t["catalogus"]) == t["catalogus"] and \
                    q.get("omschrijving", t["omschrijving"]) == t["omschrijving"]
                return 200, paginated([t] if ok else [])
        if api == "zaken":
            if resource == "zaken" and request.method == "GET" and len(path) == 1:
                hits = [z for z in s.zaken.values()
                        if q.get("identificatie", z["identificatie"]) == z["identificatie"]
                        and q.get("bronorganisatie", z["bronorganisatie"]) == z["bronorganisatie"]]
                return 200, paginated(hits)
            if resource == "zaken" and request.method == "POST":
                return 201, self.create_zaak(body)
            if resource == "statussen" and request.method == "GET":
                hits = [x for x in s.statussen.values() if q.get("zaak", x["zaak"]) == x["zaak"]]
                return 200, paginated(hits)
            if resource == "statussen" and request.method == "POST":
                return 201, self.create_status(body)
            if resource == "rollen" and request.method == "GET":
                hits = [x for x in s.rollen.values() if q.get("zaak", x["zaak"]) == x["zaak"]
                        and q.get("omschrijvingGeneriek", x["omschrijvingGeneriek"]) == x["omschrijvingGeneriek"]]
                return 200, paginated(hits)
            if resource == "rollen" and request.method == "POST":
                return 201, self.create_rol(body)
            if resource == "zaakinformatieobjecten" and request.method == "GET":
                return 200, [x for x in s.zios.values() if q.get("zaak", x["zaak"]) == x["zaak"]
                             and q.get("informatieobject", x["informatieobject"]) == x["informatieobject"]]
            if resource == "zaakinformatieobjecten" and request.method == "POST":
                return 201, self.create_zio(body)
        if api == "documenten" and resource == "enkelvoudiginformatieobjecten":
            if request.method == "GET" and len(path) == 1:
                hits = [x for x in s.eios.values()
                        if q.get("identificatie", x["identificatie"]) == x["identificatie"]
                        and q.get("bronorganisatie", x["bronorganisatie"]) == x["bronorganisatie"]]
                return 200, paginated([public_eio(x) for x in hits])
            if request.method == "POST":
                return 201, public_eio(self.create_eio(body))
        raise Refusal(404, "not-found", "Niet in deze testserver")

    def create_zaak(self, body):
        s = self.store
        for field in ("bronorganisatie", "verantwoordelijkeOrganisatie"):
            refuse_unless(elfproef(body[field]), "invalid", "Geen geldig RSIN", field)
        refuse_unless(body["zaaktype"] == s.zaaktype["url"], "bad-url", "Onbekend zaaktype", "zaaktype")
        ident = body.get("identificatie") or f"ZAAK-{len(s.zaken) + 1:06}"
        refuse_unless(
            not any(z["identificatie"] == ident and z["bronorganisatie"] == body["bronorganisatie"]
                    for z in s.zaken.values()),
            "identificatie-niet-uniek", "Deze identificatie bestaat al voor deze bronorganisatie",
            "identificatie")
        zid = str(uuid.uuid4())
        zaak = {
            **body, "identificatie": ident,
            "url": s.url("zaken", "zaken", zid), "uuid": zid, "einddatum": None,
            "betalingsindicatieWeergave": "", "deelzaken": [], "eigenschappen": [],
            "rollen": [], "status": None, "zaakinformatieobjecten": [], "zaakobjecten": [],
            "resultaat": None,
        }
        s.zaken[zid] = zaak
        return zaak

    def zaak_of(self, url):
        zaak = next((z for z in self.store.zaken.values() if z["url"] == url), None)
        refuse_unless(zaak is not None, "bad-url", "Onbekende zaak", "zaak")
        return zaak

    def create_status(self, body):
        s = self.store
        zaak = self.zaak_of(body["zaak"])
        stype = next((t for t in s.statustypen if t["url"] == body["statustype"]), None)
        refuse_unless(stype is not None and stype["zaaktype"] == zaak["zaaktype"],
                      "zaaktype-mismatch", "Statustype hoort niet bij het zaaktype", "statustype")
        sid = str(uuid.uuid4())
        for other in s.statussen.values():
            if other["zaak"] == zaak["url"]:
                other["indicatieLaatstGezetteStatus"] = False
        status = {**body, "url": s.url("zaken", "statussen", sid), "uuid": sid,
                  "indicatieLaatstGezetteStatus": True, "zaakinformatieobjecten": []}
        s.statussen[sid] = status
        zaak["status"] = status["url"]
        if stype["isEindstatus"]:
            zaak["einddatum"] = body["datumStatusGezet"][:10]
        return status

    def create_rol(self, body):
        s = self.store
        zaak = self.zaak_of(body["zaak"])
        refuse_unless(body["roltype"] == s.roltype["url"], "bad-url", "Onbekend roltype", "roltype")
        rid = str(uuid.uuid4())
        rol = {**body, "url": s.url("zaken", "rollen", rid), "uuid": rid,
               "omschrijving": s.roltype["omschrijving"], "omschrijvingGeneriek": "initiator",
               "registratiedatum": now(), "statussen": []}
        s.rollen[rid] = rol
        zaak["rollen"].append(rol["url"])
        return rol

    def create_zio(self, body):
        s = self.store
        zaak = self.zaak_of(body["zaak"])
        refuse_unless(any(x["url"] == body["informatieobject"] for x in s.eios.values()),
                      "bad-url", "Onbekend informatieobject", "informatieobject")
        refuse_unless(not any(x["zaak"] == zaak["url"] and x["informatieobject"] == body["informatieobject"]
                              for x in s.zios.values()),
                      "unique", "Dit informatieobject is al aan de zaak gekoppeld")
        zid = str(uuid.uuid4())
        zio = {**body, "url": s.url("zaken", "zaakinformatieobjecten", zid), "uuid": zid,
               "aardRelatieWeergave": "Hoort bij, omgekeerd: kent", "registratiedatum": now()}
        s.zios[zid] = zio
        zaak["zaakinformatieobjecten"].append(zio["url"])
        return zio

    def create_eio(self, body):
        s = self.store
        refuse_unless(elfproef(body["bronorganisatie"]), "invalid", "Geen geldig RSIN", "bronorganisatie")
        refuse_unless(body["informatieobjecttype"] == s.iotype["url"], "bad-url",
                      "Onbekend informatieobjecttype", "informatieobjecttype")
        content = base64.b64decode(body.get("inhoud") or "", validate=True)
        refuse_unless(content.startswith(b"%PDF-"), "invalid", "De inhoud is geen pdf", "inhoud")
        ident = body.get("identificatie") or f"DOC-{len(s.eios) + 1:06}"
        refuse_unless(
            not any(x["identificatie"] == ident and x["bronorganisatie"] == body["bronorganisatie"]
                    for x in s.eios.values()),
            "identificatie-niet-uniek", "Deze identificatie bestaat al", "identificatie")
        eid = str(uuid.uuid4())
        eio = {**body, "identificatie": ident, "url": s.url("documenten", "enkelvoudiginformatieobjecten", eid),
               "versie": 1, "beginRegistratie": now(), "locked": False, "bestandsdelen": [],
               "bestandsomvang": len(content), "_size": len(content)}
        s.eios[eid] = eio
        return eio

    def test_control(self, request, parts):
        s = self.store
        with s.lock:
            if parts == ["reset"] and request.method == "POST":
                s.reset()
                return Response("{}", content_type="application/json")
            if parts == ["fail"] and request.method == "POST":
                f = request.get_json()
                s.failures.append({"operation": f["operation"], "mode": f.get("mode", "before"),
                                   "status": f.get("status", 503), "times": f.get("times", 1)})
                return Response("{}", content_type="application/json")
            if parts == ["heal"] and request.method == "POST":
                s.failures = []
                return Response("{}", content_type="application/json")
            if parts == ["state"]:
                state = {
                    "zaken": list(s.zaken.values()), "rollen": list(s.rollen.values()),
                    "statussen": list(s.statussen.values()), "zaakinformatieobjecten": list(s.zios.values()),
                    "documenten": [public_eio(x) | {"size": x["_size"]} for x in s.eios.values()],
                    "requests": s.requests,
                    "statustypen": {t["url"]: t["omschrijving"] for t in s.statustypen},
                }
                return Response(json.dumps(state), content_type="application/json")
        return error(404, "not-found", "Onbekende testopdracht")


def public_eio(eio):
    # The answer leaves out the content, as a real Documenten API does for a created object's
    # download link; inhoud is then a URL, which the spec allows.
    out = {k: v for k, v in eio.items() if not k.startswith("_")}
    out["inhoud"] = eio["url"] + "/download"
    return out


def describe(e):
    cause = e.__cause__
    inner = getattr(cause, "schema_errors", None) if cause else None
    if inner:
        return f"{e}: " + ", ".join(str(x.message) for x in inner)
    return str(e)


def validation_error(errors):
    params = [{"name": "request", "code": "invalid", "reason": describe(e)} for e in errors]
    body = {"type": "ValidationError", "code": "invalid", "title": "Invoer is niet geldig",
            "status": 400, "detail": params[0]["reason"], "instance": "urn:uuid:" + str(uuid.uuid4()),
            "invalidParams": params}
    return Response(json.dumps(body), status=400, content_type="application/problem+json")


def error(status, code, detail, name="nonFieldErrors"):
    body = {"type": code, "code": code, "title": detail, "status": status, "detail": detail,
            "instance": "urn:uuid:" + str(uuid.uuid4())}
    if status == 400:
        body["invalidParams"] = [{"name": name, "code": code, "reason": detail}]
    return Response(json.dumps(body), status=status, content_type="application/problem+json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    # One line per request is noise in the tests' output; refusals are in the answers.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = App(args.specs, args.client_id, args.secret)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.bind(base)
    print(f"listening on {base}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
