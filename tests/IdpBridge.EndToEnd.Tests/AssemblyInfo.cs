// The real Keycloak runs from kc.sh in a process group of its own: these tests run where it does.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
