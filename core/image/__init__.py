"""Images: reading ELF and its Xen notes, linking, checking, inspecting."""
