# XENON_REQUIRE_LIB(LIB, FUNCTION, HEADER, DEBIAN-PACKAGE)
# Fail configure with the Debian package to install when a library is missing.
AC_DEFUN([XENON_REQUIRE_LIB], [
  AC_CHECK_HEADER([$3], [],
    [AC_MSG_ERROR([header $3 not found: install the Debian package $4 (apt-get install $4)])])
  AC_CHECK_LIB([$1], [$2], [:],
    [AC_MSG_ERROR([library lib$1 not found: install the Debian package $4 (apt-get install $4)])])
])

# XENON_REQUIRE_PROG(VARIABLE, PROGRAM, DEBIAN-PACKAGE)
AC_DEFUN([XENON_REQUIRE_PROG], [
  AC_PATH_PROG([$1], [$2])
  AS_IF([test -z "$$1"],
    [AC_MSG_ERROR([$2 not found: install the Debian package $3 (apt-get install $3)])])
])
