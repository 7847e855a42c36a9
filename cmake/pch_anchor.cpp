// Anchor of the precompiled torch header for executables (compiled -fPIE, unlike libraries).
int main() { return 0; }
