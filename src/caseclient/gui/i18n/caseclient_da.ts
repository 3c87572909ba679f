<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="da_DK">
<context>
    <name>CaseDetailsPane</name>
    <message>
        <location filename="../case_details_pane.py" line="161"/>
        <source>Case details</source>
        <translation>Sagsoverblik</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="183"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="183"/>
        <source>KLE</source>
        <translation>KLE</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="184"/>
        <source>Caseworker</source>
        <translation>Sagsbehandler</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="184"/>
        <source>Unit</source>
        <translation>Enhed</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="185"/>
        <source>Parties</source>
        <translation>Parter</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="185"/>
        <source>Created</source>
        <translation>Oprettet</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="186"/>
        <source>Last changed</source>
        <translation>Senest ændret</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="197"/>
        <source>Documents</source>
        <translation>Dokumenter</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="206"/>
        <source>Documents on the case</source>
        <translation>Sagens dokumenter</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="212"/>
        <source>&amp;Open</source>
        <translation>Å&amp;bn</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="214"/>
        <source>Copy &amp;link</source>
        <translation>Kopiér &amp;link</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="278"/>
        <source>%1 (closed)</source>
        <translation>%1 (lukket)</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="278"/>
        <source>Closed</source>
        <translation>Lukket</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="287"/>
        <source>You</source>
        <translation>Dig</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="298"/>
        <source>This document service does not list a case&apos;s documents.</source>
        <translation>Dette dokumentsystem viser ikke en sags dokumenter.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="300"/>
        <source>Reading the documents …</source>
        <translation>Henter dokumenterne …</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="310"/>
        <source>No documents on the case yet.</source>
        <translation>Sagen har endnu ingen dokumenter.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="312"/>
        <source>The latest %1 of %2 documents.</source>
        <translation>De seneste %1 af %2 dokumenter.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="338"/>
        <source>This document service cannot give documents back to open.</source>
        <translation>Dette dokumentsystem kan ikke udlevere dokumenter, så de kan åbnes.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="341"/>
        <source>Opening %1 …</source>
        <translation>Åbner %1 …</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="353"/>
        <source>%1 is open as a copy; what you change in it is not filed.</source>
        <translation>%1 er åbnet som en kopi; det, du ændrer i den, bliver ikke journaliseret.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="358"/>
        <source>%1 could not be fetched: %2</source>
        <translation>%1 kunne ikke hentes: %2</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="363"/>
        <source>The document service gives no link to this document.</source>
        <translation>Dokumentsystemet giver intet link til dette dokument.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="366"/>
        <source>The link is copied.</source>
        <translation>Linket er kopieret.</translation>
    </message>
</context>
<context>
    <name>CaseDropTarget</name>
    <message>
        <location filename="../case_details_pane.py" line="62"/>
        <source>Choose a case, then drop mails and files here</source>
        <translation>Vælg en sag, og slip så mails og filer her</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="64"/>
        <source>Drop mails and files here to file them on %1</source>
        <translation>Slip mails og filer her for at journalisere dem på %1</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="73"/>
        <source>Release to file on %1  %2</source>
        <translation>Slip for at journalisere på %1  %2</translation>
    </message>
</context>
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
        <location filename="../case_tree_model.py" line="109"/>
        <source>No documents</source>
        <translation>Ingen dokumenter</translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="241"/>
        <source>No KLE</source>
        <translation>Uden KLE</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <location filename="../../app.py" line="119"/>
        <source>Scan &amp;inbox</source>
        <translation>Scan-&amp;indbakke</translation>
    </message>
    <message>
        <location filename="../../app.py" line="175"/>
        <source>The settings are those given on the command line.</source>
        <translation>Indstillingerne er dem, der er givet på kommandolinjen.</translation>
    </message>
    <message>
        <location filename="../../app.py" line="228"/>
        <source>The cover sheet is saved as %1.</source>
        <translation>Forsiden er gemt som %1.</translation>
    </message>
    <message>
        <location filename="../../app.py" line="244"/>
        <source>Filed</source>
        <translation>Journaliseret</translation>
    </message>
    <message>
        <location filename="../../app.py" line="244"/>
        <source>%1 is filed on %2</source>
        <translation>%1 er journaliseret på %2</translation>
    </message>
    <message>
        <location filename="../../app.py" line="247"/>
        <source>Not filed</source>
        <translation>Ikke journaliseret</translation>
    </message>
    <message>
        <location filename="../../app.py" line="283"/>
        <source>Already filed</source>
        <translation>Allerede journaliseret</translation>
    </message>
    <message>
        <location filename="../../app.py" line="284"/>
        <source>%1 was %2. File it again?</source>
        <translation>%1 blev %2. Journalisér det igen?</translation>
    </message>
    <message>
        <location filename="../../app.py" line="290"/>
        <source>Sign-in needed</source>
        <translation>Log ind påkrævet</translation>
    </message>
    <message>
        <location filename="../../app.py" line="294"/>
        <source>Sign in again now? Filing is paused until you do.</source>
        <translation>Log ind igen nu? Journaliseringen er sat på pause, indtil du gør det.</translation>
    </message>
    <message>
        <location filename="../../app.py" line="305"/>
        <source>Sign in</source>
        <translation>Log ind</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Date</source>
        <translation>Dato</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Direction</source>
        <translation>Retning</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="36"/>
        <source>Filed by</source>
        <translation>Journaliseret af</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="37"/>
        <source>Incoming</source>
        <translation>Indgående</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="37"/>
        <source>Outgoing</source>
        <translation>Udgående</translation>
    </message>
    <message>
        <location filename="../document_list.py" line="38"/>
        <source>Internal</source>
        <translation>Internt</translation>
    </message>
</context>
<context>
    <name>DropExplanation</name>
    <message>
        <location filename="../../intake/drop/decode.py" line="57"/>
        <source>The new Outlook does not hand over the mail itself when it is dragged. Save the mail first (File &gt; Save as, or drag it to the desktop) and drop the saved file here, or drag it from the message list of classic Outlook.</source>
        <translation>Det nye Outlook afleverer ikke selve mailen, når den trækkes. Gem mailen først (Filer &gt; Gem som, eller træk den til skrivebordet), og slip den gemte fil her, eller træk den fra meddelelseslisten i klassisk Outlook.</translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="63"/>
        <source>Outlook did not hand over the dragged mail. Save it from Outlook (File &gt; Save as) and drop the saved file here, or drag its attachments one by one.</source>
        <translation>Outlook afleverede ikke den trukne mail. Gem den fra Outlook (Filer &gt; Gem som), og slip den gemte fil her, eller træk vedhæftningerne én ad gangen.</translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="68"/>
        <source>This program offers the mail only as a promised file, which caseclient cannot receive yet. Drag the mail to the desktop (or Finder) first, then drop the saved file here.</source>
        <translation>Programmet tilbyder kun mailen som en lovet fil, som caseclient endnu ikke kan modtage. Træk mailen til skrivebordet (eller Finder) først, og slip så den gemte fil her.</translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="73"/>
        <source>The drag carried only text, not a file. Drop a mail, a document or a folder, or save the text as a file first.</source>
        <translation>Der fulgte kun tekst med, ingen fil. Slip en mail, et dokument eller en mappe, eller gem teksten som en fil først.</translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="78"/>
        <source>Nothing that caseclient can read came with this drag. Save the item as a file first and drop the file here.</source>
        <translation>Der fulgte intet med, som caseclient kan læse. Gem elementet som en fil først, og slip filen her.</translation>
    </message>
</context>
<context>
    <name>DropFlow</name>
    <message>
        <location filename="../drop_flow.py" line="125"/>
        <source>Drop the documents onto a case: they name no single case of the service.</source>
        <translation>Slip dokumenterne på en sag: de nævner ikke én bestemt sag i fagsystemet.</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../drop_zone.py" line="28"/>
        <source>caseclient drop zone</source>
        <translation>caseclient-slipfelt</translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="29"/>
        <source>Drop zone: drop mails and files here to file them on the selected case</source>
        <translation>Slipfelt: slip mails og filer her for at journalisere dem på den valgte sag</translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="31"/>
        <location filename="../drop_zone.py" line="41"/>
        <source>Drop here to file</source>
        <translation>Slip her for at journalisere</translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="43"/>
        <source>Drop here to file on %1</source>
        <translation>Slip her for at journalisere på %1</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <location filename="../case_details_pane.py" line="102"/>
        <source>How to file with caseclient</source>
        <translation>Sådan journaliserer du med caseclient</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="103"/>
        <source>File a mail or a document in three steps</source>
        <translation>Journalisér en mail eller et dokument i tre trin</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="112"/>
        <source>&lt;b&gt;Find the case.&lt;/b&gt; Type a case number, words of the title or a party&apos;s name in the search field (Ctrl+F), or open &lt;i&gt;My cases&lt;/i&gt;. Down arrow goes to the first hit.</source>
        <translation>&lt;b&gt;Find sagen.&lt;/b&gt; Skriv et sagsnummer, ord fra titlen eller en parts navn i søgefeltet (Ctrl+F), eller fold &lt;i&gt;Mine sager&lt;/i&gt; ud. Pil ned går til det første fund.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="114"/>
        <source>&lt;b&gt;Drop on the case.&lt;/b&gt; Drag mails from Outlook, or files and folders from the file manager, onto the case in the list, or onto the field beside it once the case is selected. Or select the case and paste (Ctrl+V).</source>
        <translation>&lt;b&gt;Slip på sagen.&lt;/b&gt; Træk mails fra Outlook eller filer og mapper fra Stifinder hen på sagen i listen, eller hen på feltet ved siden af, når sagen er valgt. Eller vælg sagen og indsæt (Ctrl+V).</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="117"/>
        <source>&lt;b&gt;Confirm.&lt;/b&gt; Check the proposed title, date and direction and press Enter. caseclient files in the background, exactly once; the Outbox tab shows how far it is.</source>
        <translation>&lt;b&gt;Bekræft.&lt;/b&gt; Se titel, dato og retning efter, og tryk Enter. caseclient journaliserer i baggrunden, præcis én gang; fanen Udbakke viser, hvor langt den er.</translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="123"/>
        <source>Select a case to see its parties and documents here. Help &gt; Keyboard shortcuts (F1) lists every shortcut.</source>
        <translation>Vælg en sag for at se dens parter og dokumenter her. Hjælp &gt; Tastaturgenveje (F1) viser alle genveje.</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <location filename="../shortcuts_help.py" line="73"/>
        <source>&amp;Help</source>
        <translation>&amp;Hjælp</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="74"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastaturgenveje</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>When</source>
        <translation>Tidspunkt</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>Case</source>
        <translation>Sag</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Document id</source>
        <translation>Dokument-id</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>File</source>
        <translation>Fil</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Size</source>
        <translation>Størrelse</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Route</source>
        <translation>Vej</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="39"/>
        <source>Filed</source>
        <translation>Journaliseret</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="39"/>
        <source>Undone</source>
        <translation>Fortrudt</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="40"/>
        <source>Waiting: can be undone</source>
        <translation>Venter – kan fortrydes</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Drop</source>
        <translation>Træk og slip</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Scan</source>
        <translation>Scanning</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Command line</source>
        <translation>Kommandolinje</translation>
    </message>
</context>
<context>
    <name>JournalView</name>
    <message>
        <location filename="../journal_view.py" line="82"/>
        <source>Filing journal</source>
        <translation>Mine journaliseringer</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="87"/>
        <source>Everything you filed</source>
        <translation>Alt, du har journaliseret</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="94"/>
        <source>&amp;Since</source>
        <translation>&amp;Siden</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="98"/>
        <source>Show filings since this date</source>
        <translation>Vis journaliseringer siden denne dato</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="100"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Opdatér</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="101"/>
        <source>&amp;Export CSV …</source>
        <translation>&amp;Eksportér CSV …</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="102"/>
        <source>Export the journal as CSV for the records office</source>
        <translation>Eksportér oversigten som CSV til journalkontoret</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="104"/>
        <source>Journal status</source>
        <translation>Status for oversigten</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="132"/>
        <source>Export the filing journal</source>
        <translation>Eksportér oversigten over journaliseringer</translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="133"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-filer (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location filename="../journal_view.py" line="139"/>
        <source>%n filing(s)</source>
        <translation>
            <numerusform>%n journalisering</numerusform>
            <numerusform>%n journaliseringer</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="142"/>
        <source>%1 filing(s) written to %2</source>
        <translation>%1 journalisering(er) skrevet til %2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="41"/>
        <source>caseclient main window</source>
        <translation>caseclient hovedvindue</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="45"/>
        <source>Find a case: case number, title or party</source>
        <translation>Søg sag: sagsnummer, titel eller part</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="46"/>
        <source>Find a case</source>
        <translation>Søg sag</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="53"/>
        <source>Cases</source>
        <translation>Sager</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="59"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="62"/>
        <source>Document service</source>
        <translation>Dokumentservice</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="71"/>
        <source>&amp;Cases</source>
        <translation>&amp;Sager</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="73"/>
        <source>&amp;Outbox</source>
        <translation>&amp;Udbakke</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="82"/>
        <source>&amp;View</source>
        <translation>&amp;Vis</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="83"/>
        <source>&amp;Drop zone</source>
        <translation>&amp;Slipfelt</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="86"/>
        <source>A small window that stays on top: drop on it to file on the selected case</source>
        <translation>Et lille vindue, der altid ligger øverst: slip på det for at journalisere på den valgte sag</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="114"/>
        <source>Files into %1 at %2</source>
        <translation>Journaliserer i %1 på %2</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="116"/>
        <source>Files into %1 (the built-in reference service)</source>
        <translation>Journaliserer i %1 (den indbyggede referenceservice)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="120"/>
        <location filename="../main_window.py" line="158"/>
        <source>Add to &amp;favourites</source>
        <translation>Føj til &amp;favoritter</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>&amp;Print cover sheet …</source>
        <translation>Udskriv &amp;forside …</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139"/>
        <source>Case %1</source>
        <translation>Sag %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="158"/>
        <source>Remove from &amp;favourites</source>
        <translation>Fjern fra &amp;favoritter</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163"/>
        <location filename="../main_window.py" line="170"/>
        <source>Choose a case first.</source>
        <translation>Vælg en sag først.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Cover sheet %1.pdf</source>
        <translation>Forside %1.pdf</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Save the cover sheet</source>
        <translation>Gem forsiden</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-dokumenter (*.pdf)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="226"/>
        <source>Choose a case first, then paste.</source>
        <translation>Vælg først en sag, og indsæt så.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="237"/>
        <source>Searching …</source>
        <translation>Søger …</translation>
    </message>
    <message numerus="yes">
        <location filename="../main_window.py" line="244"/>
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
        <location filename="../metadata_dialog.py" line="54"/>
        <location filename="../metadata_dialog.py" line="55"/>
        <source>File document</source>
        <translation>Journalisér dokument</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="66"/>
        <source>Target case</source>
        <translation>Sag</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="69"/>
        <source>Dropped file</source>
        <translation>Fil</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="72"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="76"/>
        <source>Document date</source>
        <translation>Dokumentdato</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="79"/>
        <source>Direction</source>
        <translation>Retning</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="81"/>
        <source>Incoming</source>
        <translation>Indgående</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="82"/>
        <source>Outgoing</source>
        <translation>Udgående</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="83"/>
        <source>Internal</source>
        <translation>Internt</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="90"/>
        <source>Document type</source>
        <translation>Dokumenttype</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="95"/>
        <source>Sensitivity</source>
        <translation>Følsomhed</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="97"/>
        <source>Not confidential</source>
        <translation>Ikke fortrolig</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="98"/>
        <source>Confidential</source>
        <translation>Fortrolig</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="99"/>
        <source>Sensitive personal data</source>
        <translation>Følsomme personoplysninger</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="100"/>
        <source>Especially sensitive</source>
        <translation>Særligt følsomme</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="106"/>
        <location filename="../metadata_dialog.py" line="158"/>
        <source>Parties</source>
        <translation>Parter</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="113"/>
        <source>Attachments to file</source>
        <translation>Bilag der journaliseres</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="124"/>
        <source>The document mentions CPR number(s) %1 that are not parties of this case. Is it the right case?</source>
        <translation>Dokumentet nævner CPR-nummer %1, som ikke er part i sagen. Er det den rigtige sag?</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="129"/>
        <location filename="../metadata_dialog.py" line="139"/>
        <source>Warning</source>
        <translation>Advarsel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="134"/>
        <source>The document names case %1, not this case. Is it the right case?</source>
        <translation>Dokumentet nævner sag %1, ikke denne sag. Er det den rigtige sag?</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="144"/>
        <source>File</source>
        <translation>Journalisér</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="147"/>
        <source>Cancel</source>
        <translation>Annullér</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="153"/>
        <source>&amp;Title</source>
        <translation>&amp;Titel</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="154"/>
        <source>&amp;Date</source>
        <translation>&amp;Dato</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="155"/>
        <source>D&amp;irection</source>
        <translation>&amp;Retning</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="156"/>
        <source>Document t&amp;ype</source>
        <translation>Dokument&amp;type</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="157"/>
        <source>&amp;Sensitivity</source>
        <translation>&amp;Følsomhed</translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="160"/>
        <source>&amp;Attachments</source>
        <translation>&amp;Bilag</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Case</source>
        <translation>Sag</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Progress</source>
        <translation>Fremdrift</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Message</source>
        <translation>Besked</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="30"/>
        <source>Waiting</source>
        <translation>Venter</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="31"/>
        <source>Filing</source>
        <translation>Journaliserer</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="32"/>
        <source>Paused</source>
        <translation>På pause</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="33"/>
        <source>Filed</source>
        <translation>Journaliseret</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="34"/>
        <source>Failed</source>
        <translation>Fejlet</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="35"/>
        <source>Cancelled</source>
        <translation>Annulleret</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="37"/>
        <source>Waiting: can be undone</source>
        <translation>Venter – kan fortrydes</translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="38"/>
        <source>Undone</source>
        <translation>Fortrudt</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../outbox_view.py" line="43"/>
        <source>Outbox</source>
        <translation>Udbakke</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="49"/>
        <source>Documents being filed</source>
        <translation>Dokumenter der journaliseres</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="60"/>
        <source>&amp;Retry</source>
        <translation>&amp;Prøv igen</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="61"/>
        <source>Retry the selected document</source>
        <translation>Prøv det valgte dokument igen</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="62"/>
        <source>&amp;Cancel filing</source>
        <translation>&amp;Annullér journalisering</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="63"/>
        <source>Cancel the selected document</source>
        <translation>Annullér det valgte dokument</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="64"/>
        <source>&amp;Undo</source>
        <translation>&amp;Fortryd</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="65"/>
        <source>Undo the selected document before it is sent</source>
        <translation>Fortryd det valgte dokument, før det sendes</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="66"/>
        <location filename="../outbox_view.py" line="93"/>
        <source>&amp;Pause all</source>
        <translation>Sæt alt på &amp;pause</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="68"/>
        <source>Pause or resume all filing</source>
        <translation>Sæt al journalisering på pause eller genoptag den</translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="93"/>
        <source>&amp;Resume all</source>
        <translation>&amp;Genoptag alt</translation>
    </message>
</context>
<context>
    <name>SafetyNet</name>
    <message>
        <location filename="../safety_net.py" line="41"/>
        <source>&amp;Journal</source>
        <translation>Mine &amp;journaliseringer</translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="49"/>
        <source>Sent in %1 s</source>
        <translation>Sendes om %1 s</translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="50"/>
        <source>%1 on %2. Click to undo.</source>
        <translation>%1 på %2. Klik for at fortryde.</translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="56"/>
        <source>Too late to undo: the filing has begun.</source>
        <translation>For sent at fortryde: journaliseringen er gået i gang.</translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="59"/>
        <source>%1 was undone: nothing was sent to %2.</source>
        <translation>%1 er fortrudt: intet blev sendt til %2.</translation>
    </message>
</context>
<context>
    <name>ScanInboxView</name>
    <message>
        <location filename="../scan_inbox_view.py" line="55"/>
        <source>Scan inbox</source>
        <translation>Scan-indbakke</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="61"/>
        <source>Scans waiting for a case</source>
        <translation>Scanninger, der venter på en sag</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="68"/>
        <source>First page of the scan</source>
        <translation>Scanningens første side</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="72"/>
        <source>Scan inbox status</source>
        <translation>Status for scan-indbakken</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="75"/>
        <source>&amp;Place on selected case</source>
        <translation>&amp;Læg på den valgte sag</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="76"/>
        <source>Place the scan on the case selected in the case tree</source>
        <translation>Læg scanningen på den sag, der er valgt i sagstræet</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="77"/>
        <source>&amp;Send to the service&apos;s inbox</source>
        <translation>Send til &amp;fagsystemets indbakke</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="78"/>
        <source>Send the scan to the document service&apos;s inbox with the CPR numbers its first page names</source>
        <translation>Send scanningen til fagsystemets indbakke med de CPR-numre, dens første side nævner</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="79"/>
        <source>Re&amp;fresh</source>
        <translation>&amp;Opdatér</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="80"/>
        <source>Read the scan inbox again</source>
        <translation>Læs scan-indbakken igen</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="82"/>
        <source>The persons whose CPR numbers the first page names become its parties</source>
        <translation>De personer, hvis CPR-numre står på første side, bliver dens parter</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="84"/>
        <source>This document service has no inbox for documents without a case</source>
        <translation>Dette fagsystem har ingen indbakke til dokumenter uden sag</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="104"/>
        <source>%1 is in the service&apos;s inbox.</source>
        <translation>%1 ligger nu i fagsystemets indbakke.</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="116"/>
        <source>Drop the scan onto a case.</source>
        <translation>Slip scanningen på en sag.</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="118"/>
        <source>%1 goes to %2.</source>
        <translation>%1 lægges på %2.</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="131"/>
        <source>Choose a case in the Cases tab first.</source>
        <translation>Vælg først en sag under fanen Sager.</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="138"/>
        <source>%1 goes to the service&apos;s inbox.</source>
        <translation>%1 sendes til fagsystemets indbakke.</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="166"/>
        <source>No preview</source>
        <translation>Ingen forhåndsvisning</translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="166"/>
        <source>The scan inbox is empty</source>
        <translation>Scan-indbakken er tom</translation>
    </message>
</context>
<context>
    <name>ScanRouting</name>
    <message>
        <location filename="../../watch/routing.py" line="33"/>
        <source>case number in the file name</source>
        <translation>sagsnummer i filnavnet</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="34"/>
        <source>case number on the first page</source>
        <translation>sagsnummer på første side</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="35"/>
        <source>CPR number on the first page</source>
        <translation>CPR-nummer på første side</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="36"/>
        <source>cover sheet</source>
        <translation>forside</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="37"/>
        <source>the cover sheet names case %1, which was not found</source>
        <translation>forsiden nævner sag %1, som ikke blev fundet</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="38"/>
        <source>the scan holds only a cover sheet</source>
        <translation>scanningen består kun af en forside</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="39"/>
        <source>the case numbers found name no open case</source>
        <translation>de fundne sagsnumre peger ikke på en åben sag</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="40"/>
        <source>the CPR numbers found do not point to exactly one case</source>
        <translation>de fundne CPR-numre peger ikke på præcis én sag</translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="41"/>
        <source>no case number, cover sheet or CPR number was found</source>
        <translation>der blev hverken fundet sagsnummer, forside eller CPR-nummer</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="28"/>
        <location filename="../settings_dialog.py" line="29"/>
        <source>Settings</source>
        <translation>Indstillinger</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="31"/>
        <source>built-in default</source>
        <translation>indbygget standard</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="32"/>
        <source>organisation profile</source>
        <translation>organisationens profil</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="33"/>
        <source>machine policy</source>
        <translation>maskinpolitik</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="34"/>
        <source>user settings</source>
        <translation>brugerens indstillinger</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="35"/>
        <source>command line</source>
        <translation>kommandolinjen</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="38"/>
        <source>Settings in force</source>
        <translation>Gældende indstillinger</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Setting</source>
        <translation>Indstilling</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Value</source>
        <translation>Værdi</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>From</source>
        <translation>Fra</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Locked</source>
        <translation>Låst</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="57"/>
        <source>Secrets are kept in the system keyring, never here. Locked values are set by your organisation; run “caseclient doctor” for a report to send to support.</source>
        <translation>Hemmeligheder gemmes i systemets nøglering, aldrig her. Låste værdier er sat af din organisation; kør “caseclient doctor” for en rapport, du kan sende til support.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64"/>
        <source>Document service</source>
        <translation>Dokumentservice</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="66"/>
        <source>the built-in reference service</source>
        <translation>den indbyggede referenceservice</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="67"/>
        <source>caseclient files into %1 (%2).</source>
        <translation>caseclient journaliserer i %1 (%2).</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../shortcuts_help.py" line="25"/>
        <location filename="../shortcuts_help.py" line="28"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastaturgenveje</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="29"/>
        <source>Keys</source>
        <translation>Taster</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="29"/>
        <source>What they do</source>
        <translation>Hvad de gør</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="50"/>
        <source>Find a case (the search field)</source>
        <translation>Find en sag (søgefeltet)</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="51"/>
        <source>Down arrow</source>
        <translation>Pil ned</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="51"/>
        <source>From the search field to the first case found</source>
        <translation>Fra søgefeltet til den første fundne sag</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="52"/>
        <source>Up/Down arrow</source>
        <translation>Pil op/ned</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="52"/>
        <source>The previous or next case; its details show beside the list</source>
        <translation>Forrige eller næste sag; dens oplysninger vises ved siden af listen</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="53"/>
        <source>File the copied files or mails on the selected case</source>
        <translation>Journalisér de kopierede filer eller mails på den valgte sag</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="54"/>
        <source>Undo the filing just made, before it is sent (Fortryd)</source>
        <translation>Fortryd den journalisering, du lige har lavet, før den sendes</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="55"/>
        <source>Add the selected case to favourites, or remove it</source>
        <translation>Føj den valgte sag til favoritter, eller fjern den</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="56"/>
        <source>Print the selected case&apos;s cover sheet for scanning</source>
        <translation>Udskriv den valgte sags forside til scanning</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="57"/>
        <source>Show or hide the drop zone</source>
        <translation>Vis eller skjul slipfeltet</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="58"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="58"/>
        <source>In the case&apos;s documents: open the document</source>
        <translation>I sagens dokumenter: åbn dokumentet</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="59"/>
        <source>In the case&apos;s documents: copy the document&apos;s link</source>
        <translation>I sagens dokumenter: kopiér dokumentets link</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="60"/>
        <source>Menu key or Shift+F10</source>
        <translation>Menutasten eller Skift+F10</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="60"/>
        <source>The selected case&apos;s or document&apos;s menu</source>
        <translation>Menuen for den valgte sag eller det valgte dokument</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="61"/>
        <source>The next tab: cases, outbox, scan inbox</source>
        <translation>Næste fane: sager, udbakke, scan-indbakke</translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="62"/>
        <source>This list</source>
        <translation>Denne liste</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../tray.py" line="51"/>
        <source>Open caseclient</source>
        <translation>Åbn caseclient</translation>
    </message>
    <message>
        <location filename="../tray.py" line="52"/>
        <source>Pause filing</source>
        <translation>Sæt journalisering på pause</translation>
    </message>
    <message>
        <location filename="../tray.py" line="54"/>
        <source>Settings …</source>
        <translation>Indstillinger …</translation>
    </message>
    <message>
        <location filename="../tray.py" line="55"/>
        <source>Drop zone</source>
        <translation>Slipfelt</translation>
    </message>
    <message>
        <location filename="../tray.py" line="57"/>
        <source>Quit</source>
        <translation>Afslut</translation>
    </message>
    <message>
        <location filename="../tray.py" line="58"/>
        <source>Undo filing</source>
        <translation>Fortryd journalisering</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../undo_bar.py" line="28"/>
        <source>Undo filing</source>
        <translation>Fortryd journalisering</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="32"/>
        <source>Documents that can still be undone</source>
        <translation>Dokumenter, der stadig kan fortrydes</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="33"/>
        <source>&amp;Undo</source>
        <translation>&amp;Fortryd</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="34"/>
        <source>Undo the filing: nothing is sent</source>
        <translation>Fortryd journaliseringen: intet sendes</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="35"/>
        <source>Take the documents back before they are sent (Ctrl+Z)</source>
        <translation>Tag dokumenterne tilbage, før de sendes (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="93"/>
        <source>%1 is sent to %2 in %3 s</source>
        <translation>%1 sendes til %2 om %3 s</translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="95"/>
        <source>%1 documents are sent in %2 s</source>
        <translation>%1 dokumenter sendes om %2 s</translation>
    </message>
</context>
</TS>
