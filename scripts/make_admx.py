"""Write the Group Policy templates for caseclient from the settings schema.

    .venv/bin/python scripts/make_admx.py

Writes installers/windows/caseclient.admx and its language files en-US/caseclient.adml and
da-DK/caseclient.adml. One policy per setting, under HKLM\\Software\\Policies\\caseclient\\<table>
with the setting's name as the value name (REG_SZ for text and choices, REG_DWORD for numbers),
which is what caseclient.config reads as the locked machine-policy layer. A new setting needs its
titles and Danish help in POLICIES below; tests/test_admx.py checks the files are current.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from caseclient.config import BY_KEY, POLICY_REGISTRY_KEY  # noqa: E402
from caseclient.config.schema import LOG_LEVELS  # noqa: E402
from caseclient.connection import BACKENDS  # noqa: E402

OUT = ROOT / "installers" / "windows"
REVISION = "1.0"
NAMESPACE = "Caseclient.Policies.Caseclient"


@dataclass(frozen=True)
class Policy:
    key: str
    en_title: str
    da_title: str
    da_help: str
    kind: str = "text"  # text, enum or decimal
    choices: tuple[tuple[str, str, str], ...] = ()  # enum: (value, English, Danish)
    minimum: int = 0  # decimal
    maximum: int = 0
    label: tuple[str, str] = ("Value:", "Værdi:")


CATEGORIES = {  # table: (English, Danish)
    "service": ("Document service", "Dokumentservice"),
    "auth": ("Sign-in", "Login"),
    "tls": ("TLS and certificates", "TLS og certifikater"),
    "network": ("Network", "Netværk"),
    "intake": ("Proposals for dropped mail", "Forslag for trukne mails"),
    "filing": ("Filing", "Journalisering"),
    "logging": ("Logging", "Logning"),
}

POLICIES = (
    Policy("service.kind", "Document service kind", "Type af dokumentservice",
           "Den type dokumentservice (ESDH-system), caseclient journaliserer i: oio er OIO REST-dialekten "
           "af Sag- og Dokument-standarderne (LoRa og kompatible services); de øvrige er systemerne "
           "med deres eget navn.",
           kind="enum", choices=tuple((name, kind.system, kind.system) for name, kind in BACKENDS.items()),
           label=("Kind:", "Type:")),
    Policy("service.url", "Document service address", "Dokumentservicens adresse",
           "Dokumentservicens adresse, kun https://. Tom: caseclient bruger sin indbyggede referenceservice.",
           label=("Address (https://):", "Adresse (https://):")),
    Policy("service.caseworker", "Caseworker at the document service", "Sagsbehandler i dokumentservicen",
           "Hvem brugeren er i dokumentservicen (en OIO-uuid eller urn); brugerens sager vises under "
           "Mine sager. Sættes normalt pr. bruger.",
           label=("Caseworker:", "Sagsbehandler:")),
    Policy("auth.mode", "Sign-in method", "Loginmetode",
           "Hvordan caseclient logger ind på dokumentservicen. Adgangskoder, tokens og hemmeligheder "
           "gemmes kun i systemets nøglering, aldrig i politikker.",
           kind="enum", label=("Method:", "Metode:"), choices=(
               ("none", "No sign-in", "Intet login"),
               ("token", "Bearer/API token", "Bearer-/API-token"),
               ("basic", "User name and password", "Brugernavn og adgangskode"),
               ("oauth2_client_credentials", "OAuth2 client credentials (services, scan stations)",
                "OAuth2 client credentials (tjenester, scanstationer)"),
               ("oauth2_password", "OAuth2 password grant (SBSYS through SBSIP)",
                "OAuth2 med brugernavn og adgangskode (SBSYS via SBSIP)"),
               ("oauth2_authorization_code", "OAuth2/OpenID Connect in the browser",
                "OAuth2/OpenID Connect i browseren"),
               ("negotiate", "Kerberos single sign-on", "Kerberos single sign-on"),
               ("ntlm", "Windows sign-in (NTLM) with user name and password (GetOrganized)",
                "Windows-login (NTLM) med brugernavn og adgangskode (GetOrganized)"),
               ("client_certificate", "Client certificate", "Klientcertifikat"),
           )),
    Policy("auth.username", "User name for basic sign-in", "Brugernavn til login med adgangskode",
           "Brugernavnet ved login med brugernavn og adgangskode (adgangskoden ligger i nøgleringen); "
           "ved Windows-login (NTLM) som DOMÆNE\\bruger eller bruger@domæne."),
    Policy("auth.client_id", "OAuth2 client id", "OAuth2-klient-id",
           "Klient-id'et, som caseclient er registreret med hos OAuth2/OpenID Connect-udstederen."),
    Policy("auth.scope", "OAuth2 scopes", "OAuth2-scopes",
           "De OAuth2-scopes, caseclient beder om, adskilt af mellemrum."),
    Policy("auth.oidc_issuer", "OpenID Connect issuer", "OpenID Connect-udsteder",
           "En OpenID Connect-udsteder; caseclient læser endpoints fra dens discovery-dokument.",
           label=("Issuer (https://):", "Udsteder (https://):")),
    Policy("auth.token_url", "OAuth2 token endpoint", "OAuth2-token-endpoint",
           "OAuth2-token-endpointet, når der ikke er en udsteder.",
           label=("Address (https://):", "Adresse (https://):")),
    Policy("auth.authorization_url", "OAuth2 authorisation endpoint", "OAuth2-autorisations-endpoint",
           "OAuth2-autorisations-endpointet (login i browseren), når der ikke er en udsteder.",
           label=("Address (https://):", "Adresse (https://):")),
    Policy("auth.sign_in_timeout", "Browser sign-in timeout", "Ventetid på login i browseren",
           "Sekunder, caseclient venter på et login i browseren.",
           kind="decimal", minimum=10, maximum=3600, label=("Seconds:", "Sekunder:")),
    Policy("auth.negotiate_service", "Kerberos service class", "Kerberos-serviceklasse",
           "Dokumentservicens Kerberos-serviceklasse (første del af SPN'et, normalt HTTP)."),
    Policy("tls.ca_bundle", "Extra CA certificates", "Ekstra CA-certifikater",
           "En PEM-fil med CA-certifikater, der stoles på ud over systemets, fx en TLS-inspicerende "
           "proxys CA. Angiv den fulde sti.", label=("PEM file:", "PEM-fil:")),
    Policy("tls.client_certificate", "Client certificate", "Klientcertifikat",
           "Et klientcertifikat, PEM eller PKCS#12 (.p12/.pfx), som Serviceplatformen bruger. "
           "Angiv den fulde sti.", label=("Certificate file:", "Certifikatfil:")),
    Policy("tls.client_key", "Client certificate key", "Nøgle til klientcertifikat",
           "PEM-nøglen til klientcertifikatet, når den ligger i sin egen fil (tom ved PKCS#12).",
           label=("Key file:", "Nøglefil:")),
    Policy("network.proxy", "Proxy", "Proxy",
           "system (maskinens proxyindstillinger), none (ingen proxy) eller en proxyadresse som "
           "http://proxy:8080, uden adgangskode.", label=("Proxy:", "Proxy:")),
    Policy("network.no_proxy", "Hosts reached without the proxy", "Værter uden om proxy",
           "Værter, der nås uden proxy, adskilt af kommaer.", label=("Hosts:", "Værter:")),
    Policy("network.connect_timeout", "Connection timeout", "Ventetid på forbindelse",
           "Sekunder, caseclient venter på en forbindelse.",
           kind="decimal", minimum=1, maximum=300, label=("Seconds:", "Sekunder:")),
    Policy("network.read_timeout", "Answer timeout", "Ventetid på svar",
           "Sekunder, caseclient venter på et svar.",
           kind="decimal", minimum=1, maximum=3600, label=("Seconds:", "Sekunder:")),
    Policy("service.cmis_case_folder", "CMIS folder of cases", "CMIS-mappe med sager",
           "Mappen i CMIS-arkivet, hvis undermapper er sagerne, hver navngivet efter sit sagsnummer "
           "(fx /Sager).", label=("Folder:", "Mappe:")),
    Policy("service.cmis_case_number_property", "CMIS property of the case number", "CMIS-egenskab med sagsnummer",
           "En egenskab, der rummer sagsnummeret (fx esdh:sagsnummer): sagsmapper findes da ved en "
           "forespørgsel på den i stedet for ved sti. Tom: ved sti.", label=("Property:", "Egenskab:")),
    Policy("service.cmis_case_type", "CMIS folder type of cases", "CMIS-mappetype for sager",
           "Mappetypen for sagsmapper i CMIS-arkivet (fx esdh:sag), som der søges i.",
           label=("Type:", "Type:")),
    Policy("service.cmis_case_properties", "CMIS properties of a case", "CMIS-egenskaber for en sag",
           "Hvilke egenskaber på en sagsmappe der rummer titel, KLE-nummer, sagsbehandler, status og "
           "parter (CPR/CVR), fx title=esdh:titel, kle=esdh:kle, caseworker=esdh:sagsbehandler, "
           "status=esdh:status, parties=esdh:parter.", label=("Properties:", "Egenskaber:")),
    Policy("service.cmis_document_properties", "CMIS document type and properties", "CMIS-dokumenttype og -egenskaber",
           "Den type, dokumenter oprettes som i CMIS-arkivet, og hvilke af dens egenskaber der rummer "
           "brevdato og retning (Indgående, Udgående, Internt), fx type=esdh:dokument, "
           "date=esdh:dokumentdato, direction=esdh:retning. Tom: cmis:document uden egne egenskaber.",
           label=("Type and properties:", "Type og egenskaber:")),
    Policy("intake.own_addresses", "The user's own mail addresses", "Brugerens egne mailadresser",
           "Brugerens egne mailadresser, adskilt af kommaer: mails fra dem foreslås som udgående.",
           label=("Addresses:", "Adresser:")),
    Policy("intake.internal_domains", "The organisation's mail domains", "Organisationens maildomæner",
           "Organisationens maildomæner, adskilt af kommaer: mails mellem dem foreslås som interne.",
           label=("Domains:", "Domæner:")),
    Policy("intake.attachments", "How a mail's attachments are filed", "Hvordan en mails bilag journaliseres",
           "Separat: hvert bilag journaliseres også som sit eget dokument ved siden af mailen (som appen "
           "foreslår dem). Med mailen: kun mailen journaliseres, med bilagene i den. Gælder appen, "
           "caseclient file og caseclient watch.",
           kind="enum", label=("Attachments:", "Bilag:"), choices=(
               ("separate", "Separately, beside the mail", "Separat, ved siden af mailen"),
               ("with-mail", "Only inside the mail", "Kun i mailen"))),
    Policy("filing.undo_window", "Undo window after filing", "Fortrydelsesvindue efter journalisering",
           "Sekunder, et dokument venter, efter at brugeren har journaliseret det, før det sendes: så "
           "længe kan brugeren fortryde (Fortryd, Ctrl+Z). Dokumentet er gemt i udbakken med det samme. "
           "0: intet fortrydelsesvindue. Gælder træk og slip, indsæt, scanninger og caseclient file "
           "--undo-window.", kind="decimal", minimum=0, maximum=600, label=("Seconds:", "Sekunder:")),
    Policy("logging.level", "Log level", "Logniveau",
           "Hvor meget der skrives i logfilerne. CPR-numre, tokens og adgangskoder fjernes altid.",
           kind="enum", label=("Level:", "Niveau:"),
           choices=tuple((level, level, level) for level in LOG_LEVELS)),
    Policy("logging.max_file_mb", "Log file size", "Størrelse af logfil",
           "Størrelsen i MB af en logfil, før der skiftes til en ny.",
           kind="decimal", minimum=1, maximum=100, label=("MB:", "MB:")),
    Policy("logging.keep_files", "Log files kept", "Antal gemte logfiler",
           "Hvor mange gamle logfiler der gemmes.",
           kind="decimal", minimum=1, maximum=50, label=("Files:", "Filer:")),
)

LOCKED_EN = ("When this policy is enabled, the value is locked: users see it read-only with the reason, "
             "and neither their own settings nor the command line can change it. Disabled or not "
             "configured: the organisation profile's or the user's value applies.")
LOCKED_DA = ("Når politikken er aktiveret, er værdien låst: brugeren ser den skrivebeskyttet med "
             "begrundelsen, og hverken brugerens egne indstillinger eller kommandolinjen kan ændre den. "
             "Deaktiveret eller ikke konfigureret: organisationsprofilens eller brugerens værdi gælder.")
REASON = ("Reason shown beside locked settings", "Begrundelse ved låste indstillinger",
          "The text users see beside every setting these policies lock, e.g. who to ask.",
          "Teksten, brugerne ser ved hver indstilling, som disse politikker låser, fx hvem de kan spørge.")


def policy_id(key: str) -> str:
    return key.replace(".", "_")


def string_id(value: str) -> str:
    """A choice's value as part of a string id, which takes letters, digits and underscores only."""
    return re.sub(r"\W", "_", value)


def english_help(policy: Policy) -> str:
    text = BY_KEY[policy.key].help
    return f"{text[0].upper()}{text[1:]}."


def admx() -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by scripts/make_admx.py from caseclient's settings schema. -->",
        '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'revision="{REVISION}" schemaVersion="1.0" '
        'xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
        "  <policyNamespaces>",
        f'    <target prefix="caseclient" namespace="{NAMESPACE}" />',
        '    <using prefix="windows" namespace="Microsoft.Policies.Windows" />',
        "  </policyNamespaces>",
        f'  <resources minRequiredRevision="{REVISION}" />',
        "  <supportedOn>",
        "    <definitions>",
        '      <definition name="SUPPORTED_caseclient" displayName="$(string.SUPPORTED_caseclient)" />',
        "    </definitions>",
        "  </supportedOn>",
        "  <categories>",
        '    <category name="caseclient" displayName="$(string.caseclient)" />',
    ]
    for table in CATEGORIES:
        lines += [
            f'    <category name="cat_{table}" displayName="$(string.cat_{table})">',
            '      <parentCategory ref="caseclient" />',
            "    </category>",
        ]
    lines += ["  </categories>", "  <policies>"]
    lines += [
        '    <policy name="reason" class="Machine" displayName="$(string.reason)" '
        f'explainText="$(string.reason_help)" presentation="$(presentation.reason)" key="{POLICY_REGISTRY_KEY}">',
        '      <parentCategory ref="caseclient" />',
        '      <supportedOn ref="SUPPORTED_caseclient" />',
        "      <elements>",
        '        <text id="Reason" valueName="Reason" required="true" />',
        "      </elements>",
        "    </policy>",
    ]
    for policy in POLICIES:
        table, name = policy.key.split(".", 1)
        pid = policy_id(policy.key)
        lines += [
            f'    <policy name="{pid}" class="Machine" displayName="$(string.{pid})" '
            f'explainText="$(string.{pid}_help)" presentation="$(presentation.{pid})" '
            f'key="{POLICY_REGISTRY_KEY}\\{table}">',
            f'      <parentCategory ref="cat_{table}" />',
            '      <supportedOn ref="SUPPORTED_caseclient" />',
            "      <elements>",
        ]
        if policy.kind == "text":
            lines.append(f'        <text id="{name}" valueName="{name}" required="true" />')
        elif policy.kind == "decimal":
            lines.append(f'        <decimal id="{name}" valueName="{name}" required="true" '
                         f'minValue="{policy.minimum}" maxValue="{policy.maximum}" />')
        else:
            lines.append(f'        <enum id="{name}" valueName="{name}" required="true">')
            for value, _en, _da in policy.choices:
                lines += [
                    f'          <item displayName="$(string.{pid}_{string_id(value)})">',
                    f"            <value><string>{escape(value)}</string></value>",
                    "          </item>",
                ]
            lines.append("        </enum>")
        lines += ["      </elements>", "    </policy>"]
    lines += ["  </policies>", "</policyDefinitions>", ""]
    return "\n".join(lines)


def adml(language: str) -> str:
    danish = language == "da-DK"
    strings: list[tuple[str, str]] = [
        ("caseclient", "caseclient"),
        ("SUPPORTED_caseclient", "caseclient 0.1 og nyere" if danish else "caseclient 0.1 and later"),
    ]
    strings += [(f"cat_{table}", names[1] if danish else names[0]) for table, names in CATEGORIES.items()]
    strings += [("reason", REASON[1] if danish else REASON[0]), ("reason_help", REASON[3] if danish else REASON[2])]
    presentations = [presentation("reason", "text", "Reason", ("Reason:", "Begrundelse:")[danish])]
    for policy in POLICIES:
        pid = policy_id(policy.key)
        name = policy.key.split(".", 1)[1]
        title = policy.da_title if danish else policy.en_title
        help_text = policy.da_help if danish else english_help(policy)
        locked = LOCKED_DA if danish else LOCKED_EN
        strings += [(pid, title), (f"{pid}_help", f"{help_text}\n\n{locked}\n\n{('Indstilling', 'Setting')[not danish]}: {policy.key}")]
        strings += [(f"{pid}_{string_id(value)}", da if danish else en) for value, en, da in policy.choices]
        presentations.append(presentation(pid, policy.kind, name, policy.label[danish]))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by scripts/make_admx.py from caseclient's settings schema. -->",
        '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'revision="{REVISION}" schemaVersion="1.0" '
        'xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
        "  <displayName>caseclient</displayName>",
        "  <description>{}</description>".format(
            "Indstillinger for caseclient, som it-afdelingen låser" if danish
            else "caseclient settings locked by the IT department"),
        "  <resources>",
        "    <stringTable>",
    ]
    lines += [f'      <string id="{sid}">{escape(text)}</string>' for sid, text in strings]
    lines += ["    </stringTable>", "    <presentationTable>", *presentations,
              "    </presentationTable>", "  </resources>", "</policyDefinitionResources>", ""]
    return "\n".join(lines)


def presentation(pid: str, kind: str, ref: str, label: str) -> str:
    if kind == "text":
        body = f'<textBox refId="{ref}"><label>{escape(label)}</label></textBox>'
    elif kind == "decimal":
        body = f'<decimalTextBox refId="{ref}">{escape(label)}</decimalTextBox>'
    else:
        body = f'<dropdownList refId="{ref}" noSort="true">{escape(label)}</dropdownList>'
    return f"      <presentation id={quoteattr(pid)}>{body}</presentation>"


def outputs() -> dict[Path, str]:
    return {
        OUT / "caseclient.admx": admx(),
        OUT / "en-US" / "caseclient.adml": adml("en-US"),
        OUT / "da-DK" / "caseclient.adml": adml("da-DK"),
    }


def main() -> None:
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
