; Inno Setup 6 script: installs the PyInstaller one-folder build (dist\ortho-supply-kiosk) for the
; Windows account that runs the kiosk, asks for clinic, workstation and server, creates the
; config with `kiosk init`, and starts the kiosk full-screen at that account's sign-in.
;
; Build (see installer\README.md):  iscc /DAppVersion=0.1.0 installer\windows\kiosk.iss
;
; Silent install (installer\windows\provision.ps1 does this from a CSV):
;   ortho-supply-kiosk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;       /CLINICID=64b0... /WORKSTATION=chair-3 (/URIFILE=\\server\kiosk$\clinic.uri | /LOCALONLY=1)
; The server URI holds a password, so it is never a command-line argument: the wizard's hidden
; field or the /URIFILE file is handed to `kiosk init --mongo-uri-file`. Running a newer setup
; over an installed kiosk keeps its config, backs the database up and upgrades it
; (`kiosk migrate`); the kiosk's data stays on uninstall. Exit codes of a silent run: 0 done,
; 10 `kiosk init` failed, 11 installed but `kiosk doctor` found problems (see the /LOG file).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Ortho Supply Kiosk"
#define BuildDir "..\..\dist\ortho-supply-kiosk"
; platformdirs' folders on Windows: %LOCALAPPDATA%\<appauthor>\<appname>
#define KioskHome "{localappdata}\ortho-supply-kiosk\ortho-supply-kiosk"

[Setup]
AppId={{6E0C7D1B-3F6A-4B8E-9C52-0B7C3D9A41F5}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Ortho Supply Kiosk
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; Per user: the config, the data and the auto-start belong to the kiosk's own account.
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=ortho-supply-kiosk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\kiosk-ui.exe
SetupLogging=yes

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder: no stale modules from the previous version.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\kiosk-ui.exe"; Parameters: "run"
Name: "{autoprograms}\{#AppName} (window)"; Filename: "{app}\kiosk-ui.exe"; Parameters: "run --windowed"

[Registry]
; Full-screen kiosk at this account's sign-in. The kiosk window also runs the background sync.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
    ValueName: "OrthoSupplyKiosk"; ValueData: """{app}\kiosk-ui.exe"" run"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\kiosk-ui.exe"; Parameters: "run"; Description: "Start the kiosk now"; \
    Flags: postinstall nowait skipifsilent

[Code]
const
  EXIT_INIT_FAILED = 10;
  EXIT_DOCTOR_FAILED = 11;

var
  SetupPage: TInputQueryWizardPage;
  Upgrading: Boolean;
  SetupExitCode: Integer;

function ConfigPath(): String;
begin
  Result := ExpandConstant('{#KioskHome}\config.toml');
end;

function Param(const Name: String): String;
begin
  Result := Trim(ExpandConstant('{param:' + Name + '|}'));
end;

function IsHex24(const Value: String): Boolean;
var
  I: Integer;
begin
  Result := Length(Value) = 24;
  for I := 1 to Length(Value) do
    if Pos(Value[I], '0123456789abcdefABCDEF') = 0 then
      Result := False;
end;

function IsWorkstationName(const Value: String): Boolean;
begin
  Result := (Length(Trim(Value)) > 0) and (Length(Value) <= 64) and (Pos('"', Value) = 0);
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  { A config already there and no new clinic given: an upgrade, which keeps the config. }
  Upgrading := FileExists(ConfigPath()) and (Param('CLINICID') = '');
  if not WizardSilent() or Upgrading then
    Exit;
  { No wizard to ask: check the parameters before anything is copied. }
  if not IsHex24(Param('CLINICID')) then
  begin
    Log('A silent install needs /CLINICID= with the clinic''s 24-hex id.');
    Result := False;
  end
  else if (Param('URIFILE') = '') and (Param('LOCALONLY') = '') then
  begin
    Log('A silent install needs /URIFILE= (a file holding the server URI) or /LOCALONLY=1.');
    Result := False;
  end
  else if (Param('URIFILE') <> '') and not FileExists(Param('URIFILE')) then
  begin
    Log('The /URIFILE= file cannot be found.');
    Result := False;
  end;
end;

procedure InitializeWizard();
begin
  SetupPage := CreateInputQueryPage(wpSelectDir, 'Kiosk setup',
    'Which clinic, which workstation, which central server?',
    'The server URI holds a password; it is kept in this account''s kiosk config only. ' +
    'Leave it empty for a kiosk that works on its own.');
  SetupPage.Add('Clinic id (24 hex characters):', False);
  SetupPage.Add('Workstation name:', False);
  SetupPage.Add('Central server URI (mongodb://...):', True);
  SetupPage.Values[0] := Param('CLINICID');
  SetupPage.Values[1] := Param('WORKSTATION');
  if SetupPage.Values[1] = '' then
    SetupPage.Values[1] := GetComputerNameString();
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := (PageID = SetupPage.ID) and Upgrading;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID <> SetupPage.ID) or Upgrading then
    Exit;
  if not IsHex24(Trim(SetupPage.Values[0])) then
  begin
    MsgBox('The clinic id must be 24 hex characters.', mbError, MB_OK);
    Result := False;
  end
  else if not IsWorkstationName(SetupPage.Values[1]) then
  begin
    MsgBox('The workstation name must be 1 to 64 characters, without quotes.', mbError, MB_OK);
    Result := False;
  end;
end;

function RunKiosk(const Command, Params: String): Integer;
var
  ResultCode: Integer;
begin
  if not Exec(ExpandConstant('{app}\kiosk.exe'), Command + ' ' + Params, '', SW_HIDE,
              ewWaitUntilTerminated, ResultCode) then
    ResultCode := -1;
  Log(Format('kiosk %s exited with %d', [Command, ResultCode]));  { never the parameters }
  Result := ResultCode;
end;

function ConfigureKiosk(): Boolean;
var
  Params, UriFile, TypedUri: String;
begin
  Params := '--clinic-id ' + Trim(SetupPage.Values[0]) +
            ' --workstation-id "' + Trim(SetupPage.Values[1]) + '"';
  UriFile := Param('URIFILE');
  TypedUri := Trim(SetupPage.Values[2]);
  if (UriFile = '') and (TypedUri <> '') then
  begin
    { {tmp} is this setup's own folder, removed when it ends; the file goes sooner. }
    UriFile := ExpandConstant('{tmp}\server.uri');
    SaveStringToFile(UriFile, TypedUri, False);
  end;
  if (UriFile <> '') and (Param('LOCALONLY') = '') then
    Params := Params + ' --mongo-uri-file "' + UriFile + '"';
  Result := RunKiosk('init', Params) = 0;
  if UriFile = ExpandConstant('{tmp}\server.uri') then
    DeleteFile(UriFile);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep <> ssPostInstall then
    Exit;
  if Upgrading then
  begin
    if (RunKiosk('migrate', '') <> 0) and not WizardSilent() then
      MsgBox('The kiosk database could not be upgraded and was restored from its backup. ' +
             'Run "kiosk.exe migrate" in ' + ExpandConstant('{app}') + ' to see why.',
             mbError, MB_OK);
  end
  else if not ConfigureKiosk() then
  begin
    SetupExitCode := EXIT_INIT_FAILED;
    if not WizardSilent() then
      MsgBox('The kiosk could not be set up. Run "' + ExpandConstant('{app}\kiosk.exe') +
             ' init --help" in a command prompt, then "kiosk.exe init" with the clinic''s ids.',
             mbError, MB_OK);
    Exit;
  end;
  if RunKiosk('doctor', '') <> 0 then
  begin
    SetupExitCode := EXIT_DOCTOR_FAILED;
    if not WizardSilent() then
      MsgBox('Installed, but "kiosk doctor" found problems. Run "' +
             ExpandConstant('{app}\kiosk.exe') + ' doctor" in a command prompt: each problem ' +
             'names its fix.', mbInformation, MB_OK);
  end;
end;

function GetCustomSetupExitCode(): Integer;
begin
  Result := SetupExitCode;
end;
