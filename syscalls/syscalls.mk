# SPDX-License-Identifier: MIT
# Included by the Makefile: expands the tables in syscalls/ into $(BUILD)/gen/.

SYSCALL_TBLS := syscalls/x86_64.tbl syscalls/i386.tbl
XLAT_FILES   := $(sort $(wildcard syscalls/xlat/*.xlat))

GEN_HDRS += $(BUILD)/gen/systab_gen.h $(BUILD)/gen/decode_gen.h $(BUILD)/gen/xlat_gen.h
GEN_OBJS += $(BUILD)/gen/obj/systab_check64.o $(BUILD)/gen/obj/systab_check32.o

$(BUILD)/gen/systab_gen.h: syscalls/gen.sh $(SYSCALL_TBLS)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh syscalls/gen.sh systab $(SYSCALL_TBLS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/decode_gen.h: syscalls/gen.sh $(SYSCALL_TBLS)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh syscalls/gen.sh decode $(SYSCALL_TBLS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/xlat_gen.h: syscalls/gen.sh $(XLAT_FILES)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh syscalls/gen.sh xlat $(XLAT_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/systab_check64.c: syscalls/gen.sh syscalls/x86_64.tbl
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh syscalls/gen.sh check syscalls/x86_64.tbl asm/unistd_64.h > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/systab_check32.c: syscalls/gen.sh syscalls/i386.tbl
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)sh syscalls/gen.sh check syscalls/i386.tbl asm/unistd_32.h > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/obj/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<
