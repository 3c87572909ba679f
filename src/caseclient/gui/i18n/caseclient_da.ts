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
