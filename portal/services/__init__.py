"""Write-side services of the core (HackSoft style: keyword-only, ``<entity>_<action>``)."""
