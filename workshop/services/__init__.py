"""Domain logic shared by the HTTP views and the Socket.IO handlers."""
