<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CaseDetailsPane</name>
    <message>
        <location filename="../case_details_pane.py" line="161"/>
        <source>Case details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="183"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="183"/>
        <source>KLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="184"/>
        <source>Caseworker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="184"/>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="185"/>
        <source>Parties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="185"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="186"/>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="197"/>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="206"/>
        <source>Documents on the case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="212"/>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="214"/>
        <source>Copy &amp;link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="278"/>
        <source>%1 (closed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="278"/>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="287"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="298"/>
        <source>This document service does not list a case&apos;s documents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="300"/>
        <source>Reading the documents …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="310"/>
        <source>No documents on the case yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="312"/>
        <source>The latest %1 of %2 documents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="338"/>
        <source>This document service cannot give documents back to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="341"/>
        <source>Opening %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="353"/>
        <source>%1 is open as a copy; what you change in it is not filed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="358"/>
        <source>%1 could not be fetched: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="363"/>
        <source>The document service gives no link to this document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="366"/>
        <source>The link is copied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseDropTarget</name>
    <message>
        <location filename="../case_details_pane.py" line="62"/>
        <source>Choose a case, then drop mails and files here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="64"/>
        <source>Drop mails and files here to file them on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="73"/>
        <source>Release to file on %1  %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseTreeModel</name>
    <message>
        <location filename="../case_tree_model.py" line="64"/>
        <source>My cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="65"/>
        <source>Favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="66"/>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="67"/>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="109"/>
        <source>No documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_tree_model.py" line="241"/>
        <source>No KLE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <location filename="../../app.py" line="119"/>
        <source>Scan &amp;inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="175"/>
        <source>The settings are those given on the command line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="228"/>
        <source>The cover sheet is saved as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="244"/>
        <source>Filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="244"/>
        <source>%1 is filed on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="247"/>
        <source>Not filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="283"/>
        <source>Already filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="284"/>
        <source>%1 was %2. File it again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="290"/>
        <source>Sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="294"/>
        <source>Sign in again now? Filing is paused until you do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="305"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="35"/>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="36"/>
        <source>Filed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="37"/>
        <source>Incoming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="37"/>
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../document_list.py" line="38"/>
        <source>Internal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropExplanation</name>
    <message>
        <location filename="../../intake/drop/decode.py" line="57"/>
        <source>The new Outlook does not hand over the mail itself when it is dragged. Save the mail first (File &gt; Save as, or drag it to the desktop) and drop the saved file here, or drag it from the message list of classic Outlook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="63"/>
        <source>Outlook did not hand over the dragged mail. Save it from Outlook (File &gt; Save as) and drop the saved file here, or drag its attachments one by one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="68"/>
        <source>This program offers the mail only as a promised file, which caseclient cannot receive yet. Drag the mail to the desktop (or Finder) first, then drop the saved file here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="73"/>
        <source>The drag carried only text, not a file. Drop a mail, a document or a folder, or save the text as a file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../intake/drop/decode.py" line="78"/>
        <source>Nothing that caseclient can read came with this drag. Save the item as a file first and drop the file here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropFlow</name>
    <message>
        <location filename="../drop_flow.py" line="125"/>
        <source>Drop the documents onto a case: they name no single case of the service.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../drop_zone.py" line="28"/>
        <source>caseclient drop zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="29"/>
        <source>Drop zone: drop mails and files here to file them on the selected case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="31"/>
        <location filename="../drop_zone.py" line="41"/>
        <source>Drop here to file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../drop_zone.py" line="43"/>
        <source>Drop here to file on %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <location filename="../case_details_pane.py" line="102"/>
        <source>How to file with caseclient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="103"/>
        <source>File a mail or a document in three steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="112"/>
        <source>&lt;b&gt;Find the case.&lt;/b&gt; Type a case number, words of the title or a party&apos;s name in the search field (Ctrl+F), or open &lt;i&gt;My cases&lt;/i&gt;. Down arrow goes to the first hit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="114"/>
        <source>&lt;b&gt;Drop on the case.&lt;/b&gt; Drag mails from Outlook, or files and folders from the file manager, onto the case in the list, or onto the field beside it once the case is selected. Or select the case and paste (Ctrl+V).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="117"/>
        <source>&lt;b&gt;Confirm.&lt;/b&gt; Check the proposed title, date and direction and press Enter. caseclient files in the background, exactly once; the Outbox tab shows how far it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../case_details_pane.py" line="123"/>
        <source>Select a case to see its parties and documents here. Help &gt; Keyboard shortcuts (F1) lists every shortcut.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <location filename="../shortcuts_help.py" line="73"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="74"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="37"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Document id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>Route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="38"/>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="39"/>
        <source>Filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="39"/>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="40"/>
        <source>Waiting: can be undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="41"/>
        <source>Command line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JournalView</name>
    <message>
        <location filename="../journal_view.py" line="82"/>
        <source>Filing journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="87"/>
        <source>Everything you filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="94"/>
        <source>&amp;Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="98"/>
        <source>Show filings since this date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="100"/>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="101"/>
        <source>&amp;Export CSV …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="102"/>
        <source>Export the journal as CSV for the records office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="104"/>
        <source>Journal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="132"/>
        <source>Export the filing journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="133"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../journal_view.py" line="139"/>
        <source>%n filing(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../journal_view.py" line="142"/>
        <source>%1 filing(s) written to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="41"/>
        <source>caseclient main window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="45"/>
        <source>Find a case: case number, title or party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="46"/>
        <source>Find a case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="53"/>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="59"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="62"/>
        <source>Document service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="71"/>
        <source>&amp;Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="73"/>
        <source>&amp;Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="82"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="83"/>
        <source>&amp;Drop zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="86"/>
        <source>A small window that stays on top: drop on it to file on the selected case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="114"/>
        <source>Files into %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="116"/>
        <source>Files into %1 (the built-in reference service)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="120"/>
        <location filename="../main_window.py" line="158"/>
        <source>Add to &amp;favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>&amp;Print cover sheet …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139"/>
        <source>Case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="158"/>
        <source>Remove from &amp;favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163"/>
        <location filename="../main_window.py" line="170"/>
        <source>Choose a case first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Cover sheet %1.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Save the cover sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="177"/>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="226"/>
        <source>Choose a case first, then paste.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.py" line="237"/>
        <source>Searching …</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../main_window.py" line="244"/>
        <source>%n case(s) found</source>
        <translation>
            <numerusform>%n case found</numerusform>
            <numerusform>%n cases found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MetadataDialog</name>
    <message>
        <location filename="../metadata_dialog.py" line="54"/>
        <location filename="../metadata_dialog.py" line="55"/>
        <source>File document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="66"/>
        <source>Target case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="69"/>
        <source>Dropped file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="72"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="76"/>
        <source>Document date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="79"/>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="81"/>
        <source>Incoming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="82"/>
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="83"/>
        <source>Internal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="90"/>
        <source>Document type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="95"/>
        <source>Sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="97"/>
        <source>Not confidential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="98"/>
        <source>Confidential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="99"/>
        <source>Sensitive personal data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="100"/>
        <source>Especially sensitive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="106"/>
        <location filename="../metadata_dialog.py" line="158"/>
        <source>Parties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="113"/>
        <source>Attachments to file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="124"/>
        <source>The document mentions CPR number(s) %1 that are not parties of this case. Is it the right case?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="129"/>
        <location filename="../metadata_dialog.py" line="139"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="134"/>
        <source>The document names case %1, not this case. Is it the right case?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="144"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="147"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="153"/>
        <source>&amp;Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="154"/>
        <source>&amp;Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="155"/>
        <source>D&amp;irection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="156"/>
        <source>Document t&amp;ype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="157"/>
        <source>&amp;Sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../metadata_dialog.py" line="160"/>
        <source>&amp;Attachments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="28"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="30"/>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="31"/>
        <source>Filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="32"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="33"/>
        <source>Filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="34"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="35"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="37"/>
        <source>Waiting: can be undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_model.py" line="38"/>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../outbox_view.py" line="43"/>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="49"/>
        <source>Documents being filed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="60"/>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="61"/>
        <source>Retry the selected document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="62"/>
        <source>&amp;Cancel filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="63"/>
        <source>Cancel the selected document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="64"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="65"/>
        <source>Undo the selected document before it is sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="66"/>
        <location filename="../outbox_view.py" line="93"/>
        <source>&amp;Pause all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="68"/>
        <source>Pause or resume all filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../outbox_view.py" line="93"/>
        <source>&amp;Resume all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SafetyNet</name>
    <message>
        <location filename="../safety_net.py" line="41"/>
        <source>&amp;Journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="49"/>
        <source>Sent in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="50"/>
        <source>%1 on %2. Click to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="56"/>
        <source>Too late to undo: the filing has begun.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../safety_net.py" line="59"/>
        <source>%1 was undone: nothing was sent to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanInboxView</name>
    <message>
        <location filename="../scan_inbox_view.py" line="55"/>
        <source>Scan inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="61"/>
        <source>Scans waiting for a case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="68"/>
        <source>First page of the scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="72"/>
        <source>Scan inbox status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="75"/>
        <source>&amp;Place on selected case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="76"/>
        <source>Place the scan on the case selected in the case tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="77"/>
        <source>&amp;Send to the service&apos;s inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="78"/>
        <source>Send the scan to the document service&apos;s inbox with the CPR numbers its first page names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="79"/>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="80"/>
        <source>Read the scan inbox again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="82"/>
        <source>The persons whose CPR numbers the first page names become its parties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="84"/>
        <source>This document service has no inbox for documents without a case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="104"/>
        <source>%1 is in the service&apos;s inbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="116"/>
        <source>Drop the scan onto a case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="118"/>
        <source>%1 goes to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="131"/>
        <source>Choose a case in the Cases tab first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="138"/>
        <source>%1 goes to the service&apos;s inbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="166"/>
        <source>No preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../scan_inbox_view.py" line="166"/>
        <source>The scan inbox is empty</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanRouting</name>
    <message>
        <location filename="../../watch/routing.py" line="33"/>
        <source>case number in the file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="34"/>
        <source>case number on the first page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="35"/>
        <source>CPR number on the first page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="36"/>
        <source>cover sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="37"/>
        <source>the cover sheet names case %1, which was not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="38"/>
        <source>the scan holds only a cover sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="39"/>
        <source>the case numbers found name no open case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="40"/>
        <source>the CPR numbers found do not point to exactly one case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../watch/routing.py" line="41"/>
        <source>no case number, cover sheet or CPR number was found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="28"/>
        <location filename="../settings_dialog.py" line="29"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="31"/>
        <source>built-in default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="32"/>
        <source>organisation profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="33"/>
        <source>machine policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="34"/>
        <source>user settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="35"/>
        <source>command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="38"/>
        <source>Settings in force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="39"/>
        <source>Locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="57"/>
        <source>Secrets are kept in the system keyring, never here. Locked values are set by your organisation; run “caseclient doctor” for a report to send to support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64"/>
        <source>Document service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="66"/>
        <source>the built-in reference service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="67"/>
        <source>caseclient files into %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../shortcuts_help.py" line="25"/>
        <location filename="../shortcuts_help.py" line="28"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="29"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="29"/>
        <source>What they do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="50"/>
        <source>Find a case (the search field)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="51"/>
        <source>Down arrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="51"/>
        <source>From the search field to the first case found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="52"/>
        <source>Up/Down arrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="52"/>
        <source>The previous or next case; its details show beside the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="53"/>
        <source>File the copied files or mails on the selected case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="54"/>
        <source>Undo the filing just made, before it is sent (Fortryd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="55"/>
        <source>Add the selected case to favourites, or remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="56"/>
        <source>Print the selected case&apos;s cover sheet for scanning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="57"/>
        <source>Show or hide the drop zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="58"/>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="58"/>
        <source>In the case&apos;s documents: open the document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="59"/>
        <source>In the case&apos;s documents: copy the document&apos;s link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="60"/>
        <source>Menu key or Shift+F10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="60"/>
        <source>The selected case&apos;s or document&apos;s menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="61"/>
        <source>The next tab: cases, outbox, scan inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shortcuts_help.py" line="62"/>
        <source>This list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../tray.py" line="51"/>
        <source>Open caseclient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../tray.py" line="52"/>
        <source>Pause filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../tray.py" line="54"/>
        <source>Settings …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../tray.py" line="55"/>
        <source>Drop zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../tray.py" line="57"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../tray.py" line="58"/>
        <source>Undo filing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../undo_bar.py" line="28"/>
        <source>Undo filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="32"/>
        <source>Documents that can still be undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="33"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="34"/>
        <source>Undo the filing: nothing is sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="35"/>
        <source>Take the documents back before they are sent (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="93"/>
        <source>%1 is sent to %2 in %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../undo_bar.py" line="95"/>
        <source>%1 documents are sent in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
