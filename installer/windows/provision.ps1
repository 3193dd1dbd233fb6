<#
.SYNOPSIS
    Silent provisioning of Ortho Supply Kiosk workstations from a CSV file.

.DESCRIPTION
    Run on each workstation, as the Windows account that runs the kiosk (a sign-in script,
    Intune or PDQ "run as logged-on user"): finds this computer's row in the CSV, checks it, and
    runs the Inno Setup installer silently with that row's clinic and workstation. The server
    URI holds a password, so the CSV names a FILE that holds it (on a share only IT and the kiosk
    accounts can read); the URI itself is never put on a command line or written to a log.

    CSV columns (UTF-8, header row):
        computer_name,clinic_id,workstation_id,mongo_uri_file
    mongo_uri_file may be empty for a kiosk that works without a central server.

    With -ValidateOnly every row is checked and nothing is installed (run it before a roll-out).

    Exit codes: 0 installed and `kiosk doctor` passed; 1 bad CSV or row; 2 no row for this
    computer; 10 `kiosk init` failed; 11 installed but `kiosk doctor` found problems; others are
    the installer's own (see the /LOG file named in the output).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File provision.ps1 -CsvPath \\fs\kiosk$\kiosks.csv `
        -Installer \\fs\kiosk$\ortho-supply-kiosk-setup-0.2.0.exe

.EXAMPLE
    .\provision.ps1 -CsvPath .\kiosks.csv -ValidateOnly
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $CsvPath,
    [string] $Installer,
    [string] $ComputerName = $env:COMPUTERNAME,
    [string] $LogFolder = $env:TEMP,
    [switch] $ValidateOnly
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$Columns = @('computer_name', 'clinic_id', 'workstation_id', 'mongo_uri_file')

function Fail([int] $Code, [string] $Sentence) {
    Write-Error -Message "provision: $Sentence" -ErrorAction Continue
    exit $Code
}

function Test-Row($Row, [int] $Line) {
    # Writes one phrase per problem to the pipeline (none when the row is good); never the URI.
    if ([string]::IsNullOrWhiteSpace($Row.computer_name)) { "line ${Line}: computer_name is empty" }
    if ($Row.clinic_id -notmatch '^[0-9a-fA-F]{24}$') { "line ${Line}: clinic_id must be 24 hex characters" }
    $ws = [string] $Row.workstation_id
    if ($ws.Trim().Length -lt 1 -or $ws.Length -gt 64 -or $ws.Contains('"')) {
        "line ${Line}: workstation_id must be 1 to 64 characters without quotes"
    }
    $uriFile = [string] $Row.mongo_uri_file
    if ($uriFile -and -not (Test-Path -LiteralPath $uriFile -PathType Leaf)) {
        "line ${Line}: the mongo_uri_file $uriFile cannot be read from here"
    }
}

if (-not (Test-Path -LiteralPath $CsvPath -PathType Leaf)) { Fail 1 "There is no CSV file at $CsvPath." }
$rows = @(Import-Csv -LiteralPath $CsvPath -Encoding UTF8)
if ($rows.Count -eq 0) { Fail 1 "$CsvPath has no rows." }
$missing = @($Columns | Where-Object { $rows[0].PSObject.Properties.Name -notcontains $_ })
if ($missing.Count -gt 0) { Fail 1 "$CsvPath lacks the column(s) $($missing -join ', ')." }
$duplicates = @($rows | Group-Object { $_.computer_name.ToUpperInvariant() } | Where-Object Count -gt 1)
if ($duplicates.Count -gt 0) { Fail 1 "Computer(s) listed twice in ${CsvPath}: $($duplicates.Name -join ', ')." }

if ($ValidateOnly) {
    $problems = @(for ($i = 0; $i -lt $rows.Count; $i++) { Test-Row $rows[$i] ($i + 2) })
    if ($problems.Count -gt 0) { Fail 1 ("$CsvPath has problems: " + ($problems -join '; ') + '.') }
    Write-Output "provision: $($rows.Count) row(s) in $CsvPath are ready."
    exit 0
}

if (-not $Installer) { Fail 1 'Give -Installer with the path of ortho-supply-kiosk-setup-VERSION.exe.' }
if (-not (Test-Path -LiteralPath $Installer -PathType Leaf)) { Fail 1 "There is no installer at $Installer." }
$index = -1
for ($i = 0; $i -lt $rows.Count; $i++) {
    if ($rows[$i].computer_name -ieq $ComputerName) { $index = $i }
}
if ($index -lt 0) { Fail 2 "$CsvPath has no row for computer $ComputerName." }
$row = $rows[$index]
$problems = @(Test-Row $row ($index + 2))
if ($problems.Count -gt 0) { Fail 1 (($problems -join '; ') + '.') }

$log = Join-Path $LogFolder ("ortho-supply-kiosk-setup-{0:yyyyMMddTHHmmss}.log" -f (Get-Date).ToUniversalTime())
$arguments = @('/VERYSILENT', '/SUPPRESSMSGBOXES', '/NORESTART', "/LOG=`"$log`"",
               "/CLINICID=$($row.clinic_id)", "/WORKSTATION=`"$($row.workstation_id)`"")
if ($row.mongo_uri_file) { $arguments += "/URIFILE=`"$($row.mongo_uri_file)`"" }
else { $arguments += '/LOCALONLY=1' }

Write-Output "provision: installing the kiosk for $($row.workstation_id) (clinic $($row.clinic_id)) on $ComputerName; log $log"
$process = Start-Process -FilePath $Installer -ArgumentList $arguments -Wait -PassThru
switch ($process.ExitCode) {
    0 { Write-Output 'provision: installed; kiosk doctor passed.' }
    10 { Fail 10 "kiosk init failed; see $log." }
    11 { Fail 11 "Installed, but kiosk doctor found problems: run kiosk.exe doctor in the kiosk's folder." }
    default { Fail $process.ExitCode "The installer stopped with exit code $($process.ExitCode); see $log." }
}
exit 0
