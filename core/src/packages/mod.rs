//! Package managers and builds (apt, apk, pip, npm, go, cargo, mvn): what they add to a layer, from measured sizes.
