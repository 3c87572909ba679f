<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="da_DK">
<context>
    <name>CaseTreeModel</name>
    <message>
        <location filename="../case_tree_model.py" line="64"/>
        <source>My cases</source>
        <translation>Mine sager</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="65"/>
        <source>Favourites</source>
        <translation>Favoritter</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="66"/>
        <source>Recent</source>
        <translation>Seneste</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="67"/>
        <source>Search results</source>
        <translation>Søgeresultater</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="106"/>
        <source>No documents</source>
        <translation>Ingen dokumenter</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="236"/>
        <source>No KLE</source>
        <translation>Uden KLE</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="18"/>
        <source>caseclient main window</source>
        <translation>caseclient hovedvindue</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="22"/>
        <source>Find a case: case number, title or party</source>
        <translation>Søg sag: sagsnummer, titel eller part</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="23"/>
        <source>Find a case</source>
        <translation>Søg sag</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="30"/>
        <source>Cases</source>
        <translation>Sager</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="37"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="68"/>
        <source>Searching …</source>
        <translation>Søger …</translation>
    </message>
    <message numerus="yes">
        <location filename="../main_window.py" line="75"/>
        <source>%n case(s) found</source>
        <translation>
            <numerusform>%n sag fundet</numerusform>
            <numerusform>%n sager fundet</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MetadataDialog</name>
    <message>
        <location filename="../metadata_dialog.py" line="52"/>
        <location filename="../metadata_dialog.py" line="53"/>
        <source>File document</source>
        <translation>Journalisér dokument</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="63"/>
        <source>Target case</source>
        <translation>Sag</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="66"/>
        <source>Dropped file</source>
        <translation>Fil</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="69"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="73"/>
        <source>Document date</source>
        <translation>Dokumentdato</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="76"/>
        <source>Direction</source>
        <translation>Retning</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="78"/>
        <source>Incoming</source>
        <translation>Indgående</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="79"/>
        <source>Outgoing</source>
        <translation>Udgående</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="80"/>
        <source>Internal</source>
        <translation>Internt</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="87"/>
        <source>Document type</source>
        <translation>Dokumenttype</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="92"/>
        <source>Sensitivity</source>
        <translation>Følsomhed</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="94"/>
        <source>Not confidential</source>
        <translation>Ikke fortrolig</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="95"/>
        <source>Confidential</source>
        <translation>Fortrolig</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="96"/>
        <source>Sensitive personal data</source>
        <translation>Følsomme personoplysninger</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="97"/>
        <source>Especially sensitive</source>
        <translation>Særligt følsomme</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="103"/>
        <location filename="../metadata_dialog.py" line="145"/>
        <source>Parties</source>
        <translation>Parter</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="110"/>
        <source>Attachments to file</source>
        <translation>Bilag der journaliseres</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="121"/>
        <source>The document mentions CPR number(s) %1 that are not parties of this case. Is it the right case?</source>
        <translation>Dokumentet nævner CPR-nummer %1, som ikke er part i sagen. Er det den rigtige sag?</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="126"/>
        <source>Warning</source>
        <translation>Advarsel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="131"/>
        <source>File</source>
        <translation>Journalisér</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="134"/>
        <source>Cancel</source>
        <translation>Annullér</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="140"/>
        <source>&amp;Title</source>
        <translation>&amp;Titel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="141"/>
        <source>&amp;Date</source>
        <translation>&amp;Dato</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="142"/>
        <source>D&amp;irection</source>
        <translation>&amp;Retning</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="143"/>
        <source>Document t&amp;ype</source>
        <translation>Dokument&amp;type</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="144"/>
        <source>&amp;Sensitivity</source>
        <translation>&amp;Følsomhed</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="147"/>
        <source>&amp;Attachments</source>
        <translation>&amp;Bilag</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../tray.py" line="48"/>
        <source>Open caseclient</source>
        <translation>Åbn caseclient</translation>
    </message>
    <message>
        <location filename="../tray.py" line="49"/>
        <source>Pause filing</source>
        <translation>Sæt journalisering på pause</translation>
    </message>
    <message>
        <location filename="../tray.py" line="51"/>
        <source>Settings …</source>
        <translation>Indstillinger …</translation>
    </message>
    <message>
        <location filename="../tray.py" line="52"/>
        <source>Quit</source>
        <translation>Afslut</translation>
    </message>
</context>
</TS>
