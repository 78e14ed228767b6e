"""MusicSearch training: the reference model, pretraining, fine-tuning and export to model packages.

Plain PyTorch; importable with nothing beyond Debian's python3-torch and python3-numpy.
"""
