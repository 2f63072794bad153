# `make bench-xenstore` (also run by `make bench`): our xenstored against
# Xen 4.17's C xenstored, same client (our libxenstore), same run.
noinst_PROGRAMS += bench/xenstore-bench
bench_xenstore_bench_SOURCES = bench/xenstore.c
bench_xenstore_bench_CPPFLAGS = $(XENSTORE_INCLUDES) \
	-include $(top_builddir)/config.h
bench_xenstore_bench_LDADD = tools/xenstored/libxenstore.la -lpthread

bench-xenstore: tools/xenstored/xenstored bench/xenstore-bench \
	tests/integration/xenstore-cshim.la
	$(SHELL) $(srcdir)/bench/xenstore $(abs_top_builddir)
bench: bench-xenstore
.PHONY: bench-xenstore
EXTRA_DIST += bench/xenstore
